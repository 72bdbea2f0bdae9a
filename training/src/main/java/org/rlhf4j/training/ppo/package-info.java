/**
 * PPO for language models (InstructGPT / TRL PPOTrainer) on the shared on-policy loop
 * ({@link org.rlhf4j.training.rollout.OnPolicyLoop}).
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
