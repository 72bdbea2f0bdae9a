package org.rlhf4j.aifeedback.judge;

import java.util.List;

/**
 * A pairwise judge: for each (prompt, response A, response B) the probability that A is better, plus a rationale
 * when the judge gives one. Implementations answer each comparison in the order given, so a judge may prefer
 * whichever response comes first; {@link BothOrders} asks both orders and averages, and every labelling run in
 * rlhf4j goes through it.
 *
 * <p>Implementations: {@link RewardModelJudge} (sigma(r_A - r_B)), {@link LmJudge} (a causal LM's option-token
 * logits), {@link OpenAiJudge} (a served model's logprobs over HTTP) and {@link EnsembleJudge}.
 */
public interface Judge {
  /** One verdict per comparison, in order, each as asked (no position-bias correction). */
  List<Verdict> compare(List<Comparison> items);

  default Verdict compare(Comparison item) { return compare(List.of(item)).get(0); }

  /** A short description for logs and output files ("lm:/models/judge", "rm:/models/rm", ...). */
  String name();
}
