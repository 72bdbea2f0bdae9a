package org.rlhf4j.training.rollout;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * The reward of RLHF: one score per (prompt, response). Responses are the sampled token ids
 * without padding, ending with the stop token when one was produced. A learned reward model, a
 * closed-form test reward or a gold scorer all plug in here.
 */
@FunctionalInterface
public interface Scorer {
  /** One score per row; {@code prompts.size() == responses.size()}. */
  double[] score(List<long[]> prompts, List<long[]> responses);

  /** A scorer over decoded text (special tokens skipped), e.g. a reward model with its own tokenizer. */
  @FunctionalInterface
  interface Text {
    double[] score(List<String> prompts, List<String> responses);
  }

  /** Adapts a text scorer: ids are decoded with {@code tokenizer} (special tokens skipped). */
  static Scorer text(Tokenizer tokenizer, Text text) {
    return (prompts, responses) -> text.score(decode(tokenizer, prompts), decode(tokenizer, responses));
  }

  private static List<String> decode(Tokenizer tok, List<long[]> rows) {
    List<String> out = new ArrayList<>(rows.size());
    for (long[] r : rows) {
      int[] ids = new int[r.length];
      for (int i = 0; i < r.length; i++) ids[i] = Math.toIntExact(r[i]);
      out.add(tok.decode(ids, true));
    }
    return out;
  }
}
