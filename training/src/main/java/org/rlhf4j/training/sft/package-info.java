/**
 * Supervised fine-tuning ({@link org.rlhf4j.training.sft.SftTrainer}): next-token loss on completion
 * tokens only by default, EOS appended, optional packing, over-long examples per a stated policy.
 */
package org.rlhf4j.training.sft;
