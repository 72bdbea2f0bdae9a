/**
 * Causal-LM pre-training on a text corpus packed into fixed-length blocks
 * ({@link org.rlhf4j.training.pretrain.Pretrainer}); {@link org.rlhf4j.training.pretrain.LmStep} is the
 * next-token step shared with SFT and {@link org.rlhf4j.training.pretrain.LmCheckpoint} writes checkpoints as
 * Hugging Face model folders with the tokenizer files.
 */
package org.rlhf4j.training.pretrain;
