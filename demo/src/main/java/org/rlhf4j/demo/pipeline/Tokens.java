package org.rlhf4j.demo.pipeline;

import java.util.Arrays;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.reward.Group;

/** The demo's token rows for the library's trainers: documents, demonstrations, scored responses, comparisons. */
final class Tokens {
  private Tokens() {}

  /** A labelled comparison in tokens: the rendered prompt, two responses (without EOS) and P(chosen preferred). */
  record Comparison(long[] prompt, long[] chosen, long[] rejected, double chosenProbability) {
    /** For the reward model: prompt + response + EOS rows. */
    Group group(int eos) { return Group.pair(scored(prompt, chosen, eos), scored(prompt, rejected, eos), chosenProbability); }

    /** For DPO: completions end with EOS, as SFT taught. */
    DpoPair dpoPair(int eos) { return new DpoPair(prompt, withEos(chosen, eos), withEos(rejected, eos)); }

    /** For DPO on the soft label: the pair trained towards P(chosen preferred). */
    DpoPair softDpoPair(int eos) { return new DpoPair(prompt, withEos(chosen, eos), withEos(rejected, eos), chosenProbability); }
  }

  /** Pre-training text: every token a target, EOS appended. */
  static Row document(int[] ids, int eos) {
    int[] x = Arrays.copyOf(ids, ids.length + 1);
    x[ids.length] = eos;
    return Row.allTargets(x);
  }

  /** A demonstration: the prompt is context, the response and its EOS are targets. */
  static Row demonstration(long[] prompt, int[] response, int eos) {
    int[] ids = ints(prompt, withEos(Arrays.stream(response).asLongStream().toArray(), eos));
    int[] mask = new int[ids.length];
    Arrays.fill(mask, prompt.length, ids.length, 1);
    return new Row(ids, mask);
  }

  /** What the reward model scores: prompt + response + EOS (the score is read at the EOS). */
  static Row scored(long[] prompt, long[] response, int eos) {
    int[] ids = ints(prompt, withEos(response, eos));
    return new Row(ids, new int[ids.length]);
  }

  static long[] withEos(long[] response, int eos) {
    if (response.length > 0 && response[response.length - 1] == eos) return response;
    long[] out = Arrays.copyOf(response, response.length + 1);
    out[response.length] = eos;
    return out;
  }

  static long[] longs(int[] ids) { return Arrays.stream(ids).asLongStream().toArray(); }

  private static int[] ints(long[] a, long[] b) {
    int[] out = new int[a.length + b.length];
    for (int i = 0; i < a.length; i++) out[i] = Math.toIntExact(a[i]);
    for (int i = 0; i < b.length; i++) out[a.length + i] = Math.toIntExact(b[i]);
    return out;
  }
}
