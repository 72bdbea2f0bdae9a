/**
 * RLOO and GRPO: critic-free on-policy training from k samples per prompt.
 *
 * <pre>{@code
 * GroupTrainer.GroupResult r = GroupTrainer.run(policy, reference, scorer, promptIds, tokenizer,
 *     GroupConfig.grpo(outputDir));   // or GroupConfig.rloo(outputDir)
 * }</pre>
 *
 * Defaults follow TRL's RLOOTrainer (classic: rloo_k 2, kl_coef 0.05, 4 epochs) and GRPOTrainer
 * (num_generations 8, beta 0, one update per batch); see {@link org.rlhf4j.training.grpo.GroupConfig}.
 */
package org.rlhf4j.training.grpo;
