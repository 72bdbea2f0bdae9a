package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;

class ModelBehaviourTest {
  @TempDir Path tmp;

  private static CausalLM tiny(ModelFamily family) {
    ModelConfig.Builder b = ModelConfig.builder(family).vocabSize(50).hiddenSize(32).numLayers(2).numHeads(4).headDim(8)
        .maxPositions(64).normEps(1e-5).ropeTheta(1e4).bosTokenId(1).eosTokenId(2);
    ModelConfig c = family == ModelFamilies.GPT2 ? b.intermediateSize(64).numKvHeads(4).tieWordEmbeddings(true).build()
        : b.intermediateSize(48).numKvHeads(2).tieWordEmbeddings(false).build();
    return CausalLM.random(c, 3, Device.CPU);
  }

  @Test
  void saveThenLoadIsBitExactForEveryArchitecture() {
    for (ModelFamily a : ModelFamilies.all()) {
      CausalLM m = tiny(a);
      Path dir = tmp.resolve(a.modelType());
      m.save(dir);
      assertThat(dir.resolve("config.json")).exists();
      CausalLM back = CausalLM.load(dir);
      assertThat(back.config()).isEqualTo(m.config());
      assertThat(back.parameters().keySet()).containsExactlyElementsOf(m.parameters().keySet());
      for (String k : m.parameters().keySet()) {
        assertThat(torch.equal(back.parameters().get(k), m.parameters().get(k))).as(a + " " + k).isTrue();
      }
    }
  }

  @Test
  void checkpointOfAnotherArchitectureFailsNamingFileAndTensor() throws Exception {
    Path dir = Shared.require("fixtures/gpt2-tiny");
    Path fake = tmp.resolve("fake");
    Files.createDirectories(fake);
    Files.copy(dir.resolve("model.safetensors"), fake.resolve("model.safetensors"));
    Files.copy(Shared.require("fixtures/llama-tiny/config.json"), fake.resolve("config.json"));
    assertThatThrownBy(() -> CausalLM.load(fake)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.safetensors").hasMessageContaining("missing tensor 'model.embed_tokens.weight'");
  }

  @Test
  void missingTensorAndWrongShapeAreNamed() {
    CausalLM m = tiny(ModelFamilies.LLAMA);
    Path dir = tmp.resolve("m");
    m.save(dir);
    Map<String, Tensor> w = new java.util.LinkedHashMap<>(Safetensors.loadDir(dir));
    w.remove("model.layers.1.mlp.up_proj.weight");
    Safetensors.save(dir.resolve("model.safetensors"), w, Map.of());
    assertThatThrownBy(() -> CausalLM.load(dir)).hasMessageContaining("model.layers.1.mlp.up_proj.weight");
    w.put("model.layers.1.mlp.up_proj.weight", torch.zeros(3, 3));
    Safetensors.save(dir.resolve("model.safetensors"), w, Map.of());
    assertThatThrownBy(() -> CausalLM.load(dir)).hasMessageContaining("has shape [3, 3]");
  }

  @Test
  void kvCacheDecodingEqualsFullRecomputation() {
    for (ModelFamily a : ModelFamilies.all()) {
      CausalLM m = tiny(a);
      List<long[]> prompts = List.of(new long[] {1, 5, 7, 9, 11}, new long[] {1, 4});
      Generation g = Generator.generate(m, prompts, 0, SamplingConfig.greedy(8, Set.of()));
      try (NativeScope s = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
        for (int r = 0; r < 2; r++) {
          long[] full = java.util.stream.LongStream.concat(java.util.Arrays.stream(prompts.get(r)), java.util.Arrays.stream(g.outputIds()[r])).toArray();
          Tensor logp = m.forward(Tensors.longs(new long[][] {full}, Device.CPU), null).logits().log_softmax(-1); // (1, T, V)
          float[] lp = Tensors.toFloats(logp);
          int v = m.config().vocabSize(), p = prompts.get(r).length;
          for (int i = 0; i < g.outputIds()[r].length; i++) {
            float[] row = java.util.Arrays.copyOfRange(lp, (p - 1 + i) * v, (p + i) * v);
            int arg = 0;
            for (int k = 1; k < v; k++) if (row[k] > row[arg]) arg = k;
            assertThat((long) arg).as(a + " row " + r + " step " + i).isEqualTo(g.outputIds()[r][i]);
            assertThat((double) row[arg]).isCloseTo(g.logprobs()[r][i], within(1e-4));
          }
        }
      }
    }
  }

  @Test
  void seededSamplingIsReproducibleAndStopsAtStopToken() {
    CausalLM m = tiny(ModelFamilies.LLAMA);
    List<long[]> prompts = List.of(new long[] {1, 5, 7}, new long[] {1, 8}, new long[] {1});
    SamplingConfig cfg = SamplingConfig.sample(20, 1.0, 10, 0.9, 42, Set.of(2));
    Generation a = Generator.generate(m, prompts, 0, cfg);
    Generation b = Generator.generate(m, prompts, 0, cfg);
    for (int r = 0; r < 3; r++) {
      assertThat(a.outputIds()[r]).containsExactly(b.outputIds()[r]);
      long[] out = a.outputIds()[r];
      for (int i = 0; i < out.length - 1; i++) assertThat(out[i]).isNotEqualTo(2L);
      assertThat(a.finished()[r]).isEqualTo(out.length > 0 && out[out.length - 1] == 2L);
    }
    Generation c = Generator.generate(m, prompts, 0, SamplingConfig.sample(20, 1.0, 10, 0.9, 43, Set.of(2)));
    boolean differs = false;
    for (int r = 0; r < 3; r++) differs |= !java.util.Arrays.equals(a.outputIds()[r], c.outputIds()[r]);
    assertThat(differs).as("another seed gives another sample").isTrue();
  }

  @Test
  void topKOneEqualsGreedy() {
    CausalLM m = tiny(ModelFamilies.QWEN2);
    List<long[]> prompts = List.of(new long[] {1, 5, 7});
    Generation g = Generator.generate(m, prompts, 0, SamplingConfig.greedy(10, Set.of()));
    Generation k1 = Generator.generate(m, prompts, 0, SamplingConfig.sample(10, 0.7, 1, 1.0, 5, Set.of()));
    assertThat(k1.outputIds()[0]).containsExactly(g.outputIds()[0]);
  }

  @Test
  void stories260KReproducesTheReferenceStoryFromPromptIds() throws Exception {
    Path dir = Shared.require("fixtures/stories260K");
    JsonNode tc = new ObjectMapper().readTree(dir.resolve("expected.json").toFile()).get("text_case");
    long[] prompt = new long[tc.get("prompt_ids").size()];
    for (int i = 0; i < prompt.length; i++) prompt[i] = tc.get("prompt_ids").get(i).asLong();
    CausalLM m = CausalLM.load(dir);
    Generation g = Generator.generate(m, List.of(prompt), 0, SamplingConfig.greedy(tc.get("max_new_tokens").asInt(), Set.of()));
    long[] want = new long[tc.get("greedy_ids").size()];
    for (int i = 0; i < want.length; i++) want[i] = tc.get("greedy_ids").get(i).asLong();
    assertThat(g.outputIds()[0]).containsExactly(want);
  }
}
