package org.rlhf4j.training.ppo;

import org.rlhf4j.training.rollout.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.runtime.Device;

/**
 * A task whose reward is known in closed form: the fraction of response tokens equal to
 * {@link #TARGET} (the stop token counts as a response token). Tiny Llama policies over a
 * 16-token vocabulary (BOS 1, EOS 2).
 */
public final class TinyTask {
  public static final int VOCAB = 16, BOS = 1, EOS = 2, TARGET = 5;
  public static final ModelConfig CONFIG = ModelConfig.llama(VOCAB, 32, 64, 2, 4, 4, 64);

  private TinyTask() {}

  public static CausalLM policy(long seed) { return CausalLM.random(CONFIG, seed, Device.CPU).requiresGrad(true); }

  /** The closed-form reward. */
  public static final Scorer REWARD = (prompts, responses) -> {
    double[] out = new double[responses.size()];
    for (int i = 0; i < out.length; i++) out[i] = fraction(responses.get(i));
    return out;
  };

  public static double fraction(long[] response) {
    if (response.length == 0) return 0;
    int hits = 0;
    for (long t : response) if (t == TARGET) hits++;
    return (double) hits / response.length;
  }

  /** {@code n} prompts: BOS then two or three random non-special tokens. */
  public static List<long[]> prompts(int n, long seed) {
    Random r = new Random(seed);
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long[] p = new long[2 + r.nextInt(2)];
      p[0] = BOS;
      for (int j = 1; j < p.length; j++) p[j] = 3 + r.nextInt(VOCAB - 3);
      out.add(p);
    }
    return out;
  }

  /** A random response of {@code len} tokens with exactly {@code hits} TARGET tokens, ending with EOS. */
  public static long[] response(Random r, int len, int hits) {
    long[] out = new long[len + 1];
    for (int j = 0; j < len; j++) {
      long t;
      do t = 3 + r.nextInt(VOCAB - 3); while (t == TARGET);
      out[j] = t;
    }
    for (int h = 0; h < hits; h++) out[r.nextInt(len)] = TARGET;
    out[len] = EOS;
    return out;
  }

  public static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) s += x;
    return s / xs.length;
  }
}
