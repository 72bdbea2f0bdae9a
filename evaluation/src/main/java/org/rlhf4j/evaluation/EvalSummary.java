package org.rlhf4j.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Summary of one policy's evaluation: mean/std of gold reward, proxy reward, KL and length over all prompts, and
 * per family the rate of every recorded flag (families and flags in sorted order).
 */
public record EvalSummary(Stat gold, Stat proxy, Stat kl, Stat length, Map<String, Map<String, Proportion>> families) {
  public EvalSummary {
    Objects.requireNonNull(gold, "gold");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(kl, "kl");
    Objects.requireNonNull(length, "length");
    Map<String, Map<String, Proportion>> copy = new LinkedHashMap<>();
    Objects.requireNonNull(families, "families").forEach((f, m) -> copy.put(f, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    families = Collections.unmodifiableMap(copy);
  }

  public static EvalSummary of(List<PromptEval> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts to summarise");
    return new EvalSummary(
        Stat.of(column(prompts, PromptEval::goldReward)), Stat.of(column(prompts, PromptEval::proxyReward)),
        Stat.of(column(prompts, PromptEval::kl)), Stat.of(column(prompts, PromptEval::length)), families(prompts));
  }

  /** The rate of {@code flag} in {@code family}, or null when never recorded there. */
  public Proportion rate(String family, String flag) {
    Map<String, Proportion> m = families.get(family);
    return m == null ? null : m.get(flag);
  }

  private static double[] column(List<PromptEval> prompts, java.util.function.ToDoubleFunction<PromptEval> f) {
    return prompts.stream().mapToDouble(f).toArray();
  }

  private static Map<String, Map<String, Proportion>> families(List<PromptEval> prompts) {
    Map<String, Map<String, List<Boolean>>> seen = new TreeMap<>();
    for (PromptEval p : prompts) {
      Map<String, List<Boolean>> byFlag = seen.computeIfAbsent(p.family(), k -> new TreeMap<>());
      p.flags().forEach((flag, v) -> byFlag.computeIfAbsent(flag, k -> new ArrayList<>()).add(v));
    }
    Map<String, Map<String, Proportion>> out = new LinkedHashMap<>();
    seen.forEach((family, byFlag) -> {
      Map<String, Proportion> rates = new LinkedHashMap<>();
      byFlag.forEach((flag, vs) -> rates.put(flag, Proportion.of((int) vs.stream().filter(b -> b).count(), vs.size())));
      out.put(family, rates);
    });
    return out;
  }
}
