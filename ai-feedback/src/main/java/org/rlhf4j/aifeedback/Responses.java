package org.rlhf4j.aifeedback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;

/** Text in, text out: encoding rendered contexts, batched generation, and decoding what was generated. */
public final class Responses {
  private Responses() {}

  /** Token ids of a rendered text; BOS is added by the tokenizer unless the text already starts with it. */
  public static int[] tokens(Tokenizer tok, String text) {
    String bos = tok.bosToken().orElse("");
    return tok.encode(text, bos.isEmpty() || !text.startsWith(bos));
  }

  /** {@link #tokens} as the long ids generation takes. */
  public static long[] encode(Tokenizer tok, String text) {
    return Arrays.stream(tokens(tok, text)).asLongStream().toArray();
  }

  /** Generated text for each prompt (ids), {@code batchSize} rows at a time; a sampling seed advances per batch. */
  public static List<String> generate(CausalLM model, Tokenizer tok, List<long[]> prompts, SamplingConfig cfg, int batchSize) {
    List<String> out = new ArrayList<>(prompts.size());
    for (int start = 0; start < prompts.size(); start += batchSize) {
      SamplingConfig c = cfg.greedy() ? cfg : SamplingConfig.sample(cfg.maxNewTokens(), cfg.temperature(), cfg.topK(), cfg.topP(),
          cfg.seed() + start, cfg.stopIds());
      Generation g = Generator.generate(model, prompts.subList(start, Math.min(prompts.size(), start + batchSize)), tok.padId(), c);
      for (long[] ids : g.outputIds()) out.add(decode(tok, ids));
    }
    return out;
  }

  /** Response text of generated ids: the stop token and special tokens dropped, outer spaces stripped. */
  public static String decode(Tokenizer tok, long[] ids) {
    int n = ids.length > 0 && tok.stopIds().contains((int) ids[ids.length - 1]) ? ids.length - 1 : ids.length;
    return tok.decode(Arrays.stream(ids, 0, n).mapToInt(l -> (int) l).toArray(), true).strip();
  }

  /** Greedy decoding when {@code temperature} is 0, else sampling; stops at the tokenizer's stop ids. */
  public static SamplingConfig sampling(Tokenizer tok, int maxNewTokens, double temperature, double topP, long seed) {
    return temperature == 0 ? SamplingConfig.greedy(maxNewTokens, tok.stopIds())
        : SamplingConfig.sample(maxNewTokens, temperature, 0, topP, seed, tok.stopIds());
  }
}
