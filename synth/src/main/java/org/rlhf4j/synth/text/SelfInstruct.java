package org.rlhf4j.synth.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.bert.BertEncoder;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Tensors;

/**
 * Self-instruct-style prompt synthesis (Wang et al. 2023): each candidate is generated from a few-shot prompt of
 * {@code shots} prompts drawn from the pool (the seeds plus every prompt accepted so far), cut at its first line,
 * then filtered: length within bounds, not a near-duplicate of the pool by word-bigram overlap
 * ({@link NgramDedup}) and, with an {@link Embedder} (the MiniLM encoder), not within {@code embeddingThreshold}
 * cosine similarity of a pooled prompt. Stops at {@code target} new prompts or after {@code maxRounds} batches.
 */
public final class SelfInstruct {
  private SelfInstruct() {}

  /** Unit-norm sentence embeddings, one row per text (e.g. MiniLM mean pooling). */
  @FunctionalInterface
  public interface Embedder {
    float[][] embed(List<String> texts);
  }

  /**
   * The offline all-MiniLM-L6-v2 encoder of models/bert. Measured cosines: "How do I bake bread?" vs "How can I bake
   * bread at home?" 0.867, "Once upon a time there was a cat" vs "... a dog" 0.781, vs "What is the capital of
   * France?" 0.148: the default threshold 0.85 drops paraphrases and keeps prompts that merely share a frame.
   */
  public static Embedder miniLm() {
    BertEncoder enc = BertEncoder.miniLm();
    return texts -> {
      float[] flat = Tensors.toFloats(enc.embed(texts)); // (N, 384)
      int dim = flat.length / texts.size();
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < out.length; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
      return out;
    };
  }

  public record Config(int target, int maxRounds, int batch, int shots, int maxNewTokens, double temperature, long seed,
      int minChars, int maxChars, double ngramThreshold, double embeddingThreshold) {
    public Config {
      if (target < 1 || maxRounds < 1 || batch < 1 || shots < 1 || maxNewTokens < 1) {
        throw new IllegalArgumentException("target, maxRounds, batch, shots and maxNewTokens must be >= 1");
      }
      if (minChars < 1 || maxChars < minChars) throw new IllegalArgumentException("need 1 <= minChars <= maxChars");
    }

    public static Config defaults(int target, long seed) {
      return new Config(target, 50, 16, 3, 48, 1.0, seed, 8, 300, 0.7, 0.85);
    }
  }

  /** What happened to the candidates: the accepted prompts and the counts of each rejection reason. */
  public record Result(List<String> prompts, int generated, int rejectedLength, int rejectedNgram, int rejectedEmbedding) {}

  public static Result generate(CausalLM model, Tokenizer tok, List<String> seeds, Config c, Embedder embedder) {
    if (seeds.size() < c.shots()) throw new IllegalArgumentException("need at least " + c.shots() + " seed prompts, got " + seeds.size());
    Random rng = new Random(c.seed());
    List<String> pool = new ArrayList<>(seeds), accepted = new ArrayList<>();
    NgramDedup ngrams = new NgramDedup(2, c.ngramThreshold());
    seeds.forEach(ngrams::add);
    List<float[]> vectors = new ArrayList<>(embedder == null ? List.of() : List.of(embedder.embed(seeds)));
    int generated = 0, badLength = 0, dupNgram = 0, dupEmbedding = 0;
    for (int round = 0; round < c.maxRounds() && accepted.size() < c.target(); round++) {
      List<long[]> inputs = new ArrayList<>();
      for (int b = 0; b < c.batch(); b++) inputs.add(toLongs(tok.encode(fewShot(pool, c.shots(), rng), true)));
      Generation g = Generator.generate(model, inputs, tok.padId(),
          SamplingConfig.sample(c.maxNewTokens(), c.temperature(), 0, 1.0, c.seed() + round, tok.stopIds()));
      for (long[] out : g.outputIds()) {
        if (accepted.size() >= c.target()) break;
        generated++;
        String text = firstLine(tok.decode(toInts(out), true));
        if (text.length() < c.minChars() || text.length() > c.maxChars()) { badLength++; continue; }
        if (!ngrams.add(text)) { dupNgram++; continue; }
        if (embedder != null) {
          float[] v = embedder.embed(List.of(text))[0];
          if (maxCosine(v, vectors) >= c.embeddingThreshold()) { dupEmbedding++; continue; }
          vectors.add(v);
        }
        accepted.add(text);
        pool.add(text);
      }
    }
    return new Result(accepted, generated, badLength, dupNgram, dupEmbedding);
  }

  /** {@code shots} distinct pool prompts as a numbered list, ending where the next one should start. */
  static String fewShot(List<String> pool, int shots, Random rng) {
    List<String> picked = new ArrayList<>(pool);
    java.util.Collections.shuffle(picked, rng);
    StringBuilder b = new StringBuilder("Here are some tasks a user asked an assistant to do:\n");
    for (int i = 0; i < shots; i++) b.append(i + 1).append(". ").append(picked.get(i)).append('\n');
    return b.append(shots + 1).append(". ").toString();
  }

  static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return (nl >= 0 ? t.substring(0, nl) : t).strip();
  }

  static double maxCosine(float[] v, List<float[]> others) {
    double best = -1;
    for (float[] o : others) {
      double d = 0;
      for (int i = 0; i < v.length; i++) d += v[i] * o[i];
      best = Math.max(best, d);
    }
    return best;
  }

  private static long[] toLongs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  private static int[] toInts(long[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
    return out;
  }
}
