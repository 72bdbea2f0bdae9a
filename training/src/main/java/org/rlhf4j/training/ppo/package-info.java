/**
 * PPO for language models (InstructGPT / TRL PPOTrainer) and the on-policy pieces RLOO, GRPO and
 * best-of-n share: the {@link org.rlhf4j.training.ppo.Scorer} interface (any reward: a learned
 * reward model through {@code Scorer.text}, a closed-form test reward, a gold scorer),
 * {@link org.rlhf4j.training.ppo.Samples} (batched, seeded sampling truncated at the stop token),
 * {@link org.rlhf4j.training.ppo.ResponseBatch} (prompt + response layout and response log-probs),
 * {@link org.rlhf4j.training.ppo.RolloutHook} (extra per-iteration metrics such as
 * {@code eval/gold_reward}) and {@link org.rlhf4j.training.ppo.PolicyCheckpoint}.
 *
 * <pre>{@code
 * PpoTrainer.PpoResult r = PpoTrainer.run(policy, reference, null, scorer, promptIds, tokenizer,
 *     PpoConfig.defaults(outputDir));
 * }</pre>
 *
 * Each iteration is one metrics.jsonl line (TRL names: {@code objective/kl}, {@code objective/scores},
 * {@code objective/rlhf_reward}, {@code objective/entropy}, {@code policy/approxkl_avg},
 * {@code policy/clipfrac_avg}, {@code loss/policy_avg}, {@code loss/value_avg}, {@code val/ratio},
 * {@code val/num_eos_tokens}, plus {@code response_length_mean} and {@code time/generation},
 * {@code time/scoring}, {@code time/forward}, {@code time/training}). The loop's step counts optimizer
 * steps (iterations x epochs x minibatches); checkpoints land at iteration ends and hold the policy in
 * Hugging Face layout plus {@code value_head.safetensors}. {@link org.rlhf4j.training.ppo.PpoBench}
 * times one iteration (also {@code ./rlhf4j ppo --bench}).
 */
package org.rlhf4j.training.ppo;
