package org.rlhf4j.models.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.models.CausalLM;

/**
 * Batched KV-cache decoding where every row has its own sampling settings and random stream (what a server
 * batching unrelated requests needs): temperature and top-p are applied per row in one tensor pass, each row
 * draws its token from its own {@code SplittableRandom} seeded by its {@link SamplingConfig#seed()}, so a
 * seeded row samples the same tokens whatever else shares its batch (up to float rounding of the padded
 * forward). A {@link Listener} sees every token as it is decoded and may stop its row (stop strings). All rows start
 * together; {@link ContinuousDecoder} (which this runs on) also lets rows join a running batch.
 */
public final class RowGenerator {
  private RowGenerator() {}

  /** One prompt (at least one token) with its settings. */
  public record Row(long[] prompt, SamplingConfig cfg) {
    public Row {
      if (prompt == null || prompt.length == 0) throw new IllegalArgumentException("Row: prompt needs at least one token");
      if (cfg == null) throw new IllegalArgumentException("Row: cfg is required");
    }
  }

  /** A decoded token: its id, log-prob under the row's temperature-scaled distribution, and the top alternatives. */
  public record Token(long id, float logprob, long[] topIds, float[] topLogprobs) {}

  /** Called on the decoding thread for each new token; returns false to finish the row now. */
  @FunctionalInterface
  public interface Listener {
    boolean onToken(int row, Token token);
  }

  /**
   * Decodes all rows together; a row ends at its stop ids, its maxNewTokens or when the listener says so.
   * {@code topLogprobs} alternatives (0 = none) are reported per token.
   */
  public static Generation generate(CausalLM model, List<Row> rows, int padId, int topLogprobs, Listener listener) {
    if (rows.isEmpty()) throw new IllegalArgumentException("no rows to generate from");
    int b = rows.size();
    long[][] out = new long[b][];
    float[][] lps = new float[b][];
    boolean[] stopped = new boolean[b];
    List<ContinuousDecoder.Joining> all = new ArrayList<>();
    for (int r = 0; r < b; r++) {
      int row = r;
      long[] ids = new long[rows.get(r).cfg().maxNewTokens()];
      float[] lp = new float[ids.length];
      int[] n = {0};
      all.add(new ContinuousDecoder.Joining(rows.get(r), topLogprobs, new ContinuousDecoder.Member() {
        @Override public boolean onToken(Token t) {
          ids[n[0]] = t.id();
          lp[n[0]++] = t.logprob();
          return listener == null || listener.onToken(row, t);
        }

        @Override public void finished(boolean stop) {
          out[row] = Arrays.copyOf(ids, n[0]);
          lps[row] = Arrays.copyOf(lp, n[0]);
          stopped[row] = stop;
        }
      }));
    }
    try (ContinuousDecoder decoder = new ContinuousDecoder(model, padId)) {
      decoder.add(all);
      while (decoder.step() > 0) { /* every row decodes until it ends */ }
    }
    long[][] prompts = rows.stream().map(Row::prompt).toArray(long[][]::new);
    return new Generation(prompts, out, lps, stopped);
  }
}
