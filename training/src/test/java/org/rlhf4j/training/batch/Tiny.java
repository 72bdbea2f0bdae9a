package org.rlhf4j.training.batch;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.testkit.Shared;

/** Test support: the stories260K tokenizer (vocab 512) and a tiny random Llama over it. */
public final class Tiny {
  private Tiny() {}

  /** The folder with tokenizer.json (skips the test when ../shared is absent). */
  public static Path tokenizerDir() { return Shared.require("fixtures/stories260K"); }

  public static Tokenizer tokenizer() { return Tokenizer.load(tokenizerDir()); }

  /** Llama, vocab 512, hidden 32, 2 layers, 4 heads (2 kv), 128 positions. */
  public static CausalLM model(long seed) {
    return CausalLM.random(ModelConfig.llama(512, 32, 64, 2, 4, 2, 128), seed, Device.CPU);
  }

  /** Detached copies of every parameter. */
  public static Map<String, Tensor> snapshot(HasParameters m) {
    Map<String, Tensor> out = new HashMap<>();
    m.parameters().forEach((k, v) -> out.put(k, v.detach().clone()));
    return out;
  }

  /** Names of parameters equal to their snapshot. */
  public static java.util.List<String> unchanged(HasParameters m, Map<String, Tensor> before) {
    return m.parameters().entrySet().stream().filter(e -> e.getValue().detach().equal(before.get(e.getKey())))
        .map(Map.Entry::getKey).toList();
  }
}
