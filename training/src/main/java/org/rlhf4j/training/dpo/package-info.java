/**
 * Direct preference optimisation on the shared training loop.
 *
 * <pre>{@code
 * List<DpoPair> pairs = DpoPair.encode(preferencePairs, tokenizer);   // or build DpoPair(prompt, chosen, rejected) ids
 * DpoTrainer.DpoResult r = DpoTrainer.run(policy, reference, pairs, DpoConfig.defaults(outputDir));
 * Map<String, Double> m = DpoTrainer.evaluate(policy, reference, pairs, new DpoLoss.Sigmoid(0.1), 16);
 * }</pre>
 *
 * Loss variants are {@link org.rlhf4j.training.loss.DpoLoss.Variant}s (sigmoid, IPO, conservative,
 * hinge, and {@link org.rlhf4j.training.loss.DpoVariants}: robust, BCO, APO, NCA, SPPO, EXO, AOT,
 * SimPO, ORPO, SFT, weighted mixtures); each says whether it needs a reference (SimPO, ORPO and
 * SFT load none) and length-normalised log-probs. Defaults follow TRL's DPOConfig (see
 * {@link org.rlhf4j.training.dpo.DpoConfig#defaults}). metrics.jsonl carries TRL's names:
 * {@code loss}, {@code rewards/chosen}, {@code rewards/rejected}, {@code rewards/accuracies},
 * {@code rewards/margins}, {@code logps/chosen}, {@code logps/rejected}, {@code logits/chosen},
 * {@code logits/rejected}, plus the loss's own ({@code nll_loss}, {@code log_odds_ratio},
 * {@code log_odds_chosen}).
 */
package org.rlhf4j.training.dpo;
