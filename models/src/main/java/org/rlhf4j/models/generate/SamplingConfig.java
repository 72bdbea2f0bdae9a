package org.rlhf4j.models.generate;

import java.util.Set;

/**
 * How to decode: greedy, or sampling with temperature, top-k (0 = off) and top-p (1 = off).
 * Generation stops per sequence at a stop id when {@code stopIds} is non-empty.
 */
public record SamplingConfig(int maxNewTokens, boolean greedy, double temperature, int topK, double topP, long seed, Set<Integer> stopIds) {
  public SamplingConfig {
    if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
    if (!greedy && !(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0 when sampling, got " + temperature);
    if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
    if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    stopIds = Set.copyOf(stopIds);
  }

  public static SamplingConfig greedy(int maxNewTokens, Set<Integer> stopIds) {
    return new SamplingConfig(maxNewTokens, true, 1.0, 0, 1.0, 0, stopIds);
  }

  public static SamplingConfig sample(int maxNewTokens, double temperature, int topK, double topP, long seed, Set<Integer> stopIds) {
    return new SamplingConfig(maxNewTokens, false, temperature, topK, topP, seed, stopIds);
  }
}
