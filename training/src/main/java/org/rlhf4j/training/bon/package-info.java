/**
 * Best-of-n sampling with a {@link org.rlhf4j.training.rollout.Scorer}: a training-free baseline and a
 * generator of SFT data from the winners ({@link org.rlhf4j.training.bon.BestOfN#writeSft}).
 *
 * <pre>{@code
 * List<BestOfN.Pick> picks = BestOfN.pick(policy, scorer, promptIds, 8, tokenizer, 64, 1.0, 42);
 * BestOfN.writeSft(Path.of("best.jsonl"), picks, tokenizer);
 * }</pre>
 */
package org.rlhf4j.training.bon;
