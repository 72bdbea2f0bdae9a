package org.rlhf4j.training.dpo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.Sequence;

/**
 * A tokenised preference: prompt ids (at least one), chosen and rejected completion ids, and the probability that
 * chosen is preferred (1 for a hard label; a judge's or the raters' soft label otherwise). Losses that read soft
 * labels ({@link org.rlhf4j.training.loss.DpoLoss.Variant#readsSoftLabels()}) train towards it.
 */
public record DpoPair(long[] prompt, long[] chosen, long[] rejected, double chosenProbability) {
  public DpoPair {
    if (prompt == null || prompt.length == 0) throw new IllegalArgumentException("DpoPair: prompt needs at least one token");
    if (chosen == null || rejected == null) throw new IllegalArgumentException("DpoPair: chosen and rejected are required");
    if (!(chosenProbability >= 0 && chosenProbability <= 1)) {
      throw new IllegalArgumentException("DpoPair: chosenProbability must be in [0, 1], got " + chosenProbability);
    }
  }

  /** A hard-labelled pair (chosen preferred with probability 1). */
  public DpoPair(long[] prompt, long[] chosen, long[] rejected) { this(prompt, chosen, rejected, 1.0); }

  /** Whether the label is soft (chosen preferred with probability below 1). */
  public boolean isSoft() { return chosenProbability < 1.0; }

  /**
   * Tokenises pairs the way SFT does ({@link Encoder}): a plain-text prompt with the tokenizer's
   * special tokens (BOS), completions without them and with EOS appended; conversations through
   * the model's chat template (ChatML when it has none).
   */
  public static List<DpoPair> encode(List<PreferencePair> pairs, Tokenizer tok) {
    Encoder enc = new Encoder(tok);
    List<DpoPair> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair p = pairs.get(i);
      try {
        Sequence c = enc.encode(p.prompt(), p.chosen()), r = enc.encode(p.prompt(), p.rejected());
        out.add(new DpoPair(longs(c.prompt()), longs(c.completion()), longs(r.completion()), p.chosenProbability()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("preference pair " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** This pair fitted to {@code maxLength}: the prompt keeps its end, completions keep their start. */
  public DpoPair truncated(int maxLength) {
    int longest = Math.max(chosen.length, rejected.length);
    if (prompt.length + longest <= maxLength) return this;
    int keepPrompt = Math.max(1, Math.min(prompt.length, maxLength - longest));
    int keepCompletion = maxLength - keepPrompt;
    return new DpoPair(Arrays.copyOfRange(prompt, prompt.length - keepPrompt, prompt.length),
        Arrays.copyOf(chosen, Math.min(chosen.length, keepCompletion)),
        Arrays.copyOf(rejected, Math.min(rejected.length, keepCompletion)), chosenProbability);
  }

  private static long[] longs(int[] ids) { return Arrays.stream(ids).asLongStream().toArray(); }
}
