package org.rlhf4j.models.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

/** Golden parity with real PEFT 0.21 (../shared/fixtures/lora-*-tiny): logits, log-probs, greedy ids, adapter gradients. */
class LoraFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"lora-llama-tiny", "lora-gpt2-tiny"})
  void adapterLogitsLogprobsAndGreedyMatchPeft(String name) throws Exception {
    Fixture f = Fixture.load(name);
    CausalLM model = f.base();
    LoraModel lora = model.loadAdapters(f.dir);
    assertThat(lora.config().scaling()).isEqualTo(f.exp.get("scaling").asDouble());
    assertForwardMatches(f, model, name + " adapter");
    Generation gen = Generator.generate(model, List.of(f.prompt(0)), 0, SamplingConfig.greedy(16, Set.of()));
    long[] want = new long[16];
    for (int i = 0; i < 16; i++) want[i] = f.exp.get("greedy").get(i).asLong();
    assertThat(gen.outputIds()[0]).as("%s greedy", name).containsExactly(want);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lora-llama-tiny", "lora-gpt2-tiny"})
  void adapterGradientsMatchPeft(String name) throws Exception {
    Fixture f = Fixture.load(name);
    CausalLM model = f.base();
    LoraModel lora = model.loadAdapters(f.dir);
    model.requiresGrad(true);
    assertThat(model.parameters().values()).allMatch(t -> !t.requires_grad());
    try (NativeScope s = NativeScope.open()) {
      long[] row = f.prompt(0);
      Tensor ids = Tensors.longs(new long[][] {row}, Device.CPU);
      Tensor logp = model.forward(ids, null).logits().log_softmax(-1);                 // (1, T, V)
      Tensor next = ids.narrow(1, 1, row.length - 1).unsqueeze(-1);                     // (1, T-1, 1)
      logp.narrow(1, 0, row.length - 1).gather(-1, next).sum().backward();
      Iterator<Map.Entry<String, JsonNode>> it = f.exp.get("gradients").fields();
      int checked = 0;
      while (it.hasNext()) {
        var e = it.next();
        Tensor p = lora.parameters().get(e.getKey());
        assertThat(p).as("parameter %s", e.getKey()).isNotNull();
        float[] g = Tensors.toFloats(p.grad());
        List<Double> want = flatten(e.getValue());
        assertThat(g).hasSize(want.size());
        for (int i = 0; i < g.length; i++) {
          assertThat((double) g[i]).as("%s grad %s[%d]", name, e.getKey(), i).isCloseTo(want.get(i), within(1e-4));
        }
        checked++;
      }
      assertThat(checked).isGreaterThan(0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lora-llama-tiny", "lora-gpt2-tiny"})
  void mergedPlainModelGivesTheAdaptersLogits(String name) throws Exception {
    Fixture f = Fixture.load(name);
    CausalLM model = f.base();
    model.loadAdapters(f.dir);
    model.mergeAndUnload().save(tmp.resolve("merged"));
    CausalLM plain = CausalLM.load(tmp.resolve("merged"));
    assertThat(plain.adapters()).isEmpty();
    assertForwardMatches(f, plain, name + " merged");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lora-llama-tiny", "lora-gpt2-tiny"})
  void writtenAdapterHasPeftKeysAndFieldsAndReloads(String name) throws Exception {
    Fixture f = Fixture.load(name);
    CausalLM model = f.base();
    model.loadAdapters(f.dir).save(tmp.resolve("out"));
    Set<String> wantKeys = new TreeSet<>(Safetensors.header(f.dir.resolve(LoraModel.WEIGHTS_FILE)).entries().keySet());
    assertThat(new TreeSet<>(Safetensors.header(tmp.resolve("out").resolve(LoraModel.WEIGHTS_FILE)).entries().keySet())).isEqualTo(wantKeys);
    JsonNode peft = JSON.readTree(f.dir.resolve(LoraModel.CONFIG_FILE).toFile());
    JsonNode ours = JSON.readTree(tmp.resolve("out").resolve(LoraModel.CONFIG_FILE).toFile());
    assertThat(fieldNames(ours)).isEqualTo(fieldNames(peft));
    for (String k : List.of("peft_type", "r", "lora_alpha", "lora_dropout", "fan_in_fan_out", "bias", "use_rslora", "use_dora",
        "task_type", "base_model_name_or_path")) {
      assertThat(ours.get(k)).as(k).isEqualTo(peft.get(k));
    }
    assertThat(strings(ours.get("target_modules"))).isEqualTo(strings(peft.get("target_modules")));
    CausalLM again = f.base();
    again.loadAdapters(tmp.resolve("out"));
    assertForwardMatches(f, again, name + " reloaded");
  }

  private static void assertForwardMatches(Fixture f, CausalLM model, String what) {
    long[][] ids = f.longs("input_ids"), mask = f.longs("attention_mask");
    int b = ids.length, t = ids[0].length, v = model.config().vocabSize();
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor logitsT = model.forward(Tensors.longs(ids, Device.CPU), Tensors.longs(mask, Device.CPU)).logits();
      float[] logits = Tensors.toFloats(logitsT);
      float[] logp = Tensors.toFloats(logitsT.log_softmax(-1));
      for (int r = 0; r < b; r++) {
        for (int i = 0; i < t; i++) {
          if (mask[r][i] == 0) continue;
          JsonNode row = f.exp.get("logits").get(r).get(i);
          for (int k = 0; k < v; k++) {
            assertThat((double) logits[(r * t + i) * v + k]).as("%s logits[%d][%d][%d]", what, r, i, k).isCloseTo(row.get(k).asDouble(), within(1e-4));
          }
          JsonNode lp = i < t - 1 ? f.exp.get("token_logprobs").get(r).get(i) : null;
          if (lp != null && !lp.isNull()) {
            assertThat((double) logp[(r * t + i) * v + (int) ids[r][i + 1]]).as("%s token_logprobs[%d][%d]", what, r, i)
                .isCloseTo(lp.asDouble(), within(1e-4));
          }
        }
      }
    }
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static Set<String> strings(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.forEach(x -> s.add(x.asText()));
    return s;
  }

  private static List<Double> flatten(JsonNode n) {
    List<Double> out = new ArrayList<>();
    if (n.isArray()) n.forEach(x -> out.addAll(flatten(x))); else out.add(n.asDouble());
    return out;
  }

  private record Fixture(Path dir, Path baseDir, JsonNode exp) {
    static Fixture load(String name) throws Exception {
      Path dir = Shared.require("fixtures/" + name);
      JsonNode exp = JSON.readTree(dir.resolve("expected.json").toFile());
      Path base = Shared.require("fixtures/" + exp.get("base_fixture").asText());
      assertThat(Files.isRegularFile(dir.resolve(LoraModel.CONFIG_FILE))).isTrue();
      return new Fixture(dir, base, exp);
    }

    CausalLM base() { return CausalLM.load(baseDir); }

    long[][] longs(String field) {
      JsonNode n = exp.get(field);
      long[][] out = new long[n.size()][];
      for (int i = 0; i < n.size(); i++) {
        out[i] = new long[n.get(i).size()];
        for (int j = 0; j < out[i].length; j++) out[i][j] = n.get(i).get(j).asLong();
      }
      return out;
    }

    /** Row r without its padding. */
    long[] prompt(int r) {
      long[][] ids = longs("input_ids"), mask = longs("attention_mask");
      List<Long> real = new ArrayList<>();
      for (int i = 0; i < ids[r].length; i++) if (mask[r][i] == 1) real.add(ids[r][i]);
      return real.stream().mapToLong(Long::longValue).toArray();
    }
  }
}
