/**
 * The one training loop of rlhf4j. An algorithm (SFT, reward model, DPO, PPO, ...) supplies a
 * {@link org.rlhf4j.training.loop.TrainStep} that computes the loss of its next micro-batch, a
 * {@link org.rlhf4j.training.loop.DataCursor} exposing its data position and a
 * {@link org.rlhf4j.training.loop.CheckpointIO} for the model; the
 * {@link org.rlhf4j.training.loop.Trainer} does everything else: backward with gradient
 * accumulation, clipping, AdamW with warmup and decay, bf16 autocast, one native scope per
 * optimizer step, progress and {@code metrics.jsonl}, evaluation, atomic checkpoints, resume,
 * and stopping on NaN/inf ({@link org.rlhf4j.training.loop.TrainingDivergedException}).
 *
 * <p>Output directory layout:
 * <pre>
 * train_config.json            effective TrainConfig of the latest invocation
 * metrics.jsonl                one object per logged step: step, loss, lr, grad_norm, tokens_per_sec, step metrics;
 *                              evaluation lines: step, eval/&lt;name&gt;
 * checkpoint-&lt;step&gt;/          the model (CheckpointIO: config.json + model.safetensors),
 *                              optimizer.safetensors (&lt;param&gt;.exp_avg, .exp_avg_sq, .step),
 *                              trainer_state.json (step, lr, data_position, seed, rng_state, config; written last)
 * latest                       name of the newest complete checkpoint
 * </pre>
 */
package org.rlhf4j.training.loop;
