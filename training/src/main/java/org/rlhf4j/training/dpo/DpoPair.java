package org.rlhf4j.training.dpo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.Text;
import org.rlhf4j.models.tokenizer.Tokenizer;

/** A tokenised preference: prompt ids (at least one), chosen and rejected completion ids. */
public record DpoPair(long[] prompt, long[] chosen, long[] rejected) {
  public DpoPair {
    if (prompt == null || prompt.length == 0) throw new IllegalArgumentException("DpoPair: prompt needs at least one token");
    if (chosen == null || rejected == null) throw new IllegalArgumentException("DpoPair: chosen and rejected are required");
  }

  /**
   * Tokenises plain-text pairs the way SFT does: the prompt with the tokenizer's special tokens
   * (BOS), each completion without them and with EOS appended. Conversations are rejected until
   * the shared batch encoder is used here.
   */
  public static List<DpoPair> encode(List<PreferencePair> pairs, Tokenizer tok) {
    List<DpoPair> out = new ArrayList<>(pairs.size());
    int eos = tok.eosId().orElse(-1);
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair p = pairs.get(i);
      if (!(p.prompt() instanceof Text pt && p.chosen() instanceof Text c && p.rejected() instanceof Text r)) {
        throw new IllegalArgumentException("preference pair " + i + ": only plain-text pairs are supported by DPO here");
      }
      out.add(new DpoPair(longs(tok.encode(pt.text(), true), -1), longs(tok.encode(c.text(), false), eos),
          longs(tok.encode(r.text(), false), eos)));
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
        Arrays.copyOf(rejected, Math.min(rejected.length, keepCompletion)));
  }

  private static long[] longs(int[] ids, int append) {
    int n = ids.length + (append >= 0 && (ids.length == 0 || ids[ids.length - 1] != append) ? 1 : 0);
    long[] out = new long[n];
    for (int i = 0; i < ids.length; i++) out[i] = ids[i];
    if (n > ids.length) out[ids.length] = append;
    return out;
  }
}
