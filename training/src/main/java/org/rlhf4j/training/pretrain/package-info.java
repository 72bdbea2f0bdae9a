/**
 * Causal-LM pre-training on a text corpus packed into fixed-length blocks
 * ({@link org.rlhf4j.training.pretrain.Pretrainer}); {@link org.rlhf4j.training.pretrain.LmStep} is the
 * next-token step shared with SFT; checkpoints are Hugging Face model folders with the tokenizer files
 * ({@link org.rlhf4j.training.loop.ModelCheckpoint}).
 */
package org.rlhf4j.training.pretrain;
