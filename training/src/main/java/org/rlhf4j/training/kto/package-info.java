/**
 * KTO and BCO (TRL KTOTrainer, BCOTrainer) on unpaired, binary-labelled completions, on the shared loop.
 *
 * <pre>{@code
 * List<KtoExample> rows = KtoExample.encode(DataFiles.readUnpaired(file), tokenizer); // TRL {prompt, completion, label}
 * KtoTrainer.KtoResult r = KtoTrainer.run(policy, reference, rows, KtoConfig.defaults(outputDir));
 * }</pre>
 *
 * metrics.jsonl carries TRL's names: {@code loss}, {@code kl}, {@code rewards/chosen}, {@code rewards/rejected},
 * {@code rewards/margins}, {@code logps/chosen}, {@code logps/rejected}, {@code count/chosen}, {@code count/rejected}
 * (BCO adds {@code delta}). The loss functions are {@link org.rlhf4j.training.loss.KtoLoss}.
 */
package org.rlhf4j.training.kto;
