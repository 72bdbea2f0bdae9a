package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/** Golden tests against ../shared/fixtures (an independent reference cross-checked with transformers). */
class FixtureModelsTest {
  private static final double TOL = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "llama-tiny-bf16", "llama-tiny-tied", "qwen2-tiny"})
  void logitsLogprobsNormsAndGreedyMatchReference(String name) throws Exception {
    Path dir = Shared.require("fixtures/" + name);
    JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
    CausalLM model = CausalLM.load(dir);
    long[][] ids = longs(exp.get("input_ids"));
    long[][] mask = longs(exp.get("attention_mask"));
    int b = ids.length, t = ids[0].length, v = model.config().vocabSize();
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      CausalLM.Output out = model.forward(Tensors.longs(ids, Device.CPU), Tensors.longs(mask, Device.CPU));
      float[] logits = Tensors.toFloats(out.logits());
      float[] logp = Tensors.toFloats(out.logits().log_softmax(-1));
      float[] norms = Tensors.toFloats(out.hidden().norm(new org.bytedeco.pytorch.ScalarOptional(new org.bytedeco.pytorch.Scalar(2)), new long[] {-1}, false));
      for (int r = 0; r < b; r++) {
        for (int i = 0; i < t; i++) {
          if (mask[r][i] == 0) continue;
          JsonNode row = exp.get("logits").get(r).get(i);
          for (int k = 0; k < v; k++) {
            assertThat((double) logits[(r * t + i) * v + k]).as("%s logits[%d][%d][%d]", name, r, i, k).isCloseTo(row.get(k).asDouble(), within(TOL));
          }
          assertThat((double) norms[r * t + i]).as("hidden norm").isCloseTo(exp.get("last_hidden_state_norm").get(r).get(i).asDouble(), within(1e-3));
          if (i < t - 1) {
            double lp = logp[(r * t + i) * v + (int) ids[r][i + 1]];
            assertThat(lp).as("%s token_logprobs[%d][%d]", name, r, i).isCloseTo(exp.get("token_logprobs").get(r).get(i).asDouble(), within(TOL));
          }
        }
      }
    }
    List<long[]> prompts = new ArrayList<>();
    for (int r = 0; r < b; r++) {
      List<Long> real = new ArrayList<>();
      for (int i = 0; i < t; i++) if (mask[r][i] == 1) real.add(ids[r][i]);
      prompts.add(real.stream().mapToLong(Long::longValue).toArray());
    }
    JsonNode greedy = exp.get("greedy");
    Generation gen = Generator.generate(model, prompts, exp.path("pad_token_id").asInt(0),
        SamplingConfig.greedy(greedy.get("max_new_tokens").asInt(), Set.of()));
    long[][] want = longs(greedy.get("new_tokens"));
    for (int r = 0; r < b; r++) assertThat(gen.outputIds()[r]).as("%s greedy row %d", name, r).containsExactly(want[r]);
    // Alone, each prompt decodes through the single-row (gemv) path: the same greedy ids, log-probs within TOL.
    for (int r = 0; r < b; r++) {
      Generation one = Generator.generate(model, List.of(prompts.get(r)), exp.path("pad_token_id").asInt(0),
          SamplingConfig.greedy(greedy.get("max_new_tokens").asInt(), Set.of()));
      assertThat(one.outputIds()[0]).as("%s greedy row %d alone", name, r).containsExactly(want[r]);
      for (int i = 0; i < want[r].length; i++) {
        assertThat((double) one.logprobs()[0][i]).as("%s row %d token %d log-prob alone", name, r, i)
            .isCloseTo(gen.logprobs()[r][i], within(TOL));
      }
    }
  }

  static long[][] longs(JsonNode n) {
    long[][] out = new long[n.size()][];
    for (int i = 0; i < n.size(); i++) {
      out[i] = new long[n.get(i).size()];
      for (int j = 0; j < out[i].length; j++) out[i][j] = n.get(i).get(j).asLong();
    }
    return out;
  }
}
