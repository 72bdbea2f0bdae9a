/**
 * What every on-policy method shares: {@link org.rlhf4j.training.rollout.OnPolicyLoop} (prompt batches, sampling,
 * the epoch/minibatch update schedule, resume at iteration boundaries, per-iteration history and timings) with an
 * {@link org.rlhf4j.training.rollout.OnPolicyLoop.Algorithm} per method (PPO, RLOO/GRPO); the
 * {@link org.rlhf4j.training.rollout.Scorer} interface (any reward: a learned reward model through
 * {@code Scorer.text}, a closed-form test reward, a gold scorer); {@link org.rlhf4j.training.rollout.Samples}
 * (batched, seeded sampling truncated at the stop token); {@link org.rlhf4j.training.rollout.ResponseBatch}
 * (prompt + response layout and response log-probs, also DPO's); {@link org.rlhf4j.training.rollout.RolloutRows}
 * (per-token arrays of a rollout); {@link org.rlhf4j.training.rollout.RolloutHook} (extra per-iteration metrics
 * such as {@code eval/gold_reward}).
 */
package org.rlhf4j.training.rollout;
