package org.rlhf4j.training.kto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.Sequence;

/** A tokenised unpaired example: prompt ids (at least one), completion ids, and whether it is desirable. */
public record KtoExample(long[] prompt, long[] completion, boolean desirable) {
  public KtoExample {
    if (prompt == null || prompt.length == 0) throw new IllegalArgumentException("KtoExample: prompt needs at least one token");
    if (completion == null) throw new IllegalArgumentException("KtoExample: completion is required");
  }

  /**
   * Tokenises examples the way SFT and DPO do ({@link Encoder}): a plain-text prompt with the tokenizer's
   * special tokens, the completion without them and with EOS; conversations through the chat template.
   */
  public static List<KtoExample> encode(List<UnpairedExample> rows, Tokenizer tok) {
    Encoder enc = new Encoder(tok);
    List<KtoExample> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      UnpairedExample u = rows.get(i);
      try {
        Sequence s = enc.encode(u.prompt(), u.completion());
        out.add(new KtoExample(longs(s.prompt()), longs(s.completion()), u.desirable()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("unpaired example " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** This example fitted to {@code maxLength}: the prompt keeps its end, the completion its start. */
  public KtoExample truncated(int maxLength) {
    if (prompt.length + completion.length <= maxLength) return this;
    int keepPrompt = Math.max(1, Math.min(prompt.length, maxLength - completion.length));
    return new KtoExample(Arrays.copyOfRange(prompt, prompt.length - keepPrompt, prompt.length),
        Arrays.copyOf(completion, Math.min(completion.length, maxLength - keepPrompt)), desirable);
  }

  /** This prompt with another example's completion (a mismatched pair for the KL estimate). */
  KtoExample withCompletionOf(KtoExample other) { return new KtoExample(prompt, other.completion, desirable); }

  private static long[] longs(int[] ids) { return Arrays.stream(ids).asLongStream().toArray(); }
}
