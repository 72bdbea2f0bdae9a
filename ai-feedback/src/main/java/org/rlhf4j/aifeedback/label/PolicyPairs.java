package org.rlhf4j.aifeedback.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.aifeedback.Responses;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Text;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Encoder;

/**
 * Pairs sampled from a policy: two responses per prompt ("prompt-&lt;index&gt;"), drawn when their batch is labelled,
 * with seeds derived from the batch's first index. Prompts render as SFT renders them (chat template for
 * conversations). Pairs whose two samples are the same text are dropped (nothing to compare).
 */
public final class PolicyPairs implements PairSource {
  /** Sampling of both responses: temperature (> 0), top-p, new-token budget, base seed. */
  public record Sampling(int maxNewTokens, double temperature, double topP, long seed) {}

  private final CausalLM policy;
  private final Tokenizer tok;
  private final Encoder encoder;
  private final List<Content> prompts;
  private final Sampling sampling;

  public PolicyPairs(CausalLM policy, Tokenizer tok, List<Content> prompts, Sampling sampling) {
    this.policy = policy;
    this.tok = tok;
    this.encoder = new Encoder(tok);
    this.prompts = List.copyOf(prompts);
    this.sampling = sampling;
  }

  @Override public int size() { return prompts.size(); }

  @Override public String id(int index) { return "prompt-" + index; }

  @Override public List<LabelItem> items(List<Integer> indices) {
    if (indices.isEmpty()) return List.of();
    List<long[]> ids = new ArrayList<>();
    for (int i : indices) ids.add(Arrays.stream(encoder.encode(prompts.get(i), new Text("")).prompt()).asLongStream().toArray());
    long seed = sampling.seed() * 1_000_003L + 2L * indices.get(0);
    List<String> a = respond(ids, seed), b = respond(ids, seed + 1);
    List<LabelItem> out = new ArrayList<>();
    for (int k = 0; k < indices.size(); k++) {
      if (a.get(k).equals(b.get(k))) continue;
      out.add(LabelItem.of(id(indices.get(k)), prompts.get(indices.get(k)), a.get(k), b.get(k), null));
    }
    return out;
  }

  private List<String> respond(List<long[]> prompts, long seed) {
    SamplingConfig cfg = SamplingConfig.sample(sampling.maxNewTokens(), sampling.temperature(), 0, sampling.topP(), seed, tok.stopIds());
    return Responses.generate(policy, tok, prompts, cfg, prompts.size());
  }
}
