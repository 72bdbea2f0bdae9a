package org.rlhf4j.training.bon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rlhf4j.common.Progress;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.rollout.Scorer;

/**
 * Best-of-n sampling (rejection sampling): draw n responses per prompt, keep the one the scorer
 * likes best. A baseline for RL (no training), and a data generator: {@link #writeSft} stores
 * the winners as prompt/completion JSONL for another round of SFT (iterative / expert-iteration
 * fine-tuning).
 */
public final class BestOfN {
  private BestOfN() {}

  /**
   * One prompt's outcome.
   *
   * @param best       the highest-scoring response (first one on ties)
   * @param firstScore score of the first sample: the best-of-1 baseline
   * @param meanScore  mean over the n samples
   */
  public record Pick(long[] prompt, long[] best, double bestScore, double firstScore, double meanScore) {}

  /** Means over prompts of the best, first-sample (n = 1) and all-sample scores. */
  public record Summary(double meanBest, double meanFirst, double meanAll, int n) {}

  /** TRL-style sampling (temperature 1.0 unless given, no top-k/top-p), prompts batched {@code rowsPerBatch / n} at a time. */
  public static List<Pick> pick(CausalLM policy, Scorer scorer, List<long[]> prompts, int n, int padId,
      SamplingConfig sampling, int rowsPerBatch) {
    return pick(policy, scorer, prompts, n, padId, sampling, rowsPerBatch, picks -> {});
  }

  /**
   * As {@link #pick(CausalLM, Scorer, List, int, int, SamplingConfig, int)}, showing progress (prompts done) through
   * the installed {@link Reporter} and handing {@code afterBatch} the picks so far after every batch (to store them).
   */
  public static List<Pick> pick(CausalLM policy, Scorer scorer, List<long[]> prompts, int n, int padId,
      SamplingConfig sampling, int rowsPerBatch, Consumer<List<Pick>> afterBatch) {
    if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
    if (sampling.greedy() && n > 1) throw new IllegalArgumentException("best-of-n needs sampling, not greedy decoding");
    int perBatch = Math.max(1, rowsPerBatch / n);
    List<Pick> out = new ArrayList<>(prompts.size());
    try (Progress progress = Reporter.get().progress("prompt", 0, prompts.size())) {
      for (int from = 0; from < prompts.size(); from += perBatch) {
        batch(policy, scorer, prompts, n, padId, sampling, from, perBatch, out);
        afterBatch.accept(List.copyOf(out));
        Summary s = summary(out, n);
        boolean tenth = out.size() * 10L / prompts.size() > (long) from * 10 / prompts.size(); // a line per tenth in logs
        progress.update(out.size(), String.format(Locale.ROOT, "mean best %.4f | best-of-1 %.4f", s.meanBest(), s.meanFirst()),
            tenth || out.size() == prompts.size());
      }
    }
    return out;
  }

  /** Samples, scores and picks for prompts {@code from .. from + perBatch}, adding the picks to {@code out}. */
  private static void batch(CausalLM policy, Scorer scorer, List<long[]> prompts, int n, int padId, SamplingConfig sampling,
      int from, int perBatch, List<Pick> out) {
    List<long[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + perBatch));
    List<long[]> rows = new ArrayList<>();
    for (long[] p : chunk) for (int j = 0; j < n; j++) rows.add(p);
    SamplingConfig s = SamplingConfig.sample(sampling.maxNewTokens(), sampling.temperature(), sampling.topK(),
        sampling.topP(), sampling.seed() + from, sampling.stopIds());
    Generation g = Generator.generate(policy, rows, padId, s);
    List<long[]> responses = List.of(g.outputIds());
    double[] scores = scorer.score(rows, responses);
    if (scores.length != rows.size()) {
      throw new IllegalStateException("scorer returned " + scores.length + " scores for " + rows.size() + " responses");
    }
    for (int i = 0; i < chunk.size(); i++) out.add(best(chunk.get(i), responses, scores, i * n, n));
  }

  /** With the tokenizer's pad and stop ids: {@code maxNewTokens}, temperature, seed; 64 rows per batch. */
  public static List<Pick> pick(CausalLM policy, Scorer scorer, List<long[]> prompts, int n, Tokenizer tok,
      int maxNewTokens, double temperature, long seed) {
    return pick(policy, scorer, prompts, n, tok.padId(),
        SamplingConfig.sample(maxNewTokens, temperature, 0, 1.0, seed, tok.stopIds()), 64);
  }

  /** With the tokenizer's pad and stop ids, 53 new tokens (TRL response_length), temperature 1.0, seed 42. */
  public static List<Pick> pick(CausalLM policy, Scorer scorer, List<long[]> prompts, int n, Tokenizer tok) {
    return pick(policy, scorer, prompts, n, tok, 53, 1.0, 42);
  }

  private static Pick best(long[] prompt, List<long[]> responses, double[] scores, int offset, int n) {
    int arg = offset;
    double sum = 0;
    for (int j = offset; j < offset + n; j++) {
      sum += scores[j];
      if (scores[j] > scores[arg]) arg = j;
    }
    return new Pick(prompt, responses.get(arg), scores[arg], scores[offset], sum / n);
  }

  public static Summary summary(List<Pick> picks, int n) {
    double b = 0, f = 0, a = 0;
    for (Pick p : picks) { b += p.bestScore(); f += p.firstScore(); a += p.meanScore(); }
    int k = Math.max(1, picks.size());
    return new Summary(b / k, f / k, a / k, n);
  }

  /** Writes the winners as prompt/completion JSONL (plain text, special tokens dropped by the decoder). */
  public static void writeSft(Path file, List<Pick> picks, Function<long[], String> decode) {
    List<PromptCompletion> rows = new ArrayList<>(picks.size());
    for (Pick p : picks) rows.add(new PromptCompletion(Content.text(decode.apply(p.prompt())), Content.text(decode.apply(p.best()))));
    DataFiles.writePromptCompletions(file, rows);
  }

  /** {@link #writeSft(Path, List, Function)} decoding with {@code tok} (special tokens skipped). */
  public static void writeSft(Path file, List<Pick> picks, Tokenizer tok) {
    writeSft(file, picks, ids -> {
      int[] x = new int[ids.length];
      for (int i = 0; i < ids.length; i++) x[i] = Math.toIntExact(ids[i]);
      return tok.decode(x, true);
    });
  }
}
