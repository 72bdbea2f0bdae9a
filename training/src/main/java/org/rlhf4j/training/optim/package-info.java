/**
 * Optimization pieces used by the training loop: {@link org.rlhf4j.training.optim.AdamW}
 * (torch.optim.AdamW math, state as named tensors), {@link org.rlhf4j.training.optim.LrSchedule}
 * (linear warmup then cosine / linear / constant) and {@link org.rlhf4j.training.optim.GradClip}
 * (global L2 norm clipping).
 */
package org.rlhf4j.training.optim;
