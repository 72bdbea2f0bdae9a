package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Device;

/** The family registry, the config builder and the layout-derived parameter counts. */
class ModelFamiliesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static ModelConfig.Builder small(ModelFamily f) {
    return ModelConfig.builder(f).vocabSize(40).hiddenSize(16).intermediateSize(24).numLayers(2).numHeads(4).maxPositions(32);
  }

  @Test
  void parameterCountEqualsTheTensorsARandomModelHolds() {
    for (ModelFamily f : ModelFamilies.all()) {
      for (boolean tied : new boolean[] {true, false}) {
        ModelConfig c = small(f).numKvHeads(f == ModelFamilies.GPT2 ? 4 : 2).tieWordEmbeddings(tied).build();
        long numel = 0;
        for (Tensor t : CausalLM.random(c, 1, Device.CPU).parameters().values()) numel += t.numel();
        assertThat(c.parameterCount()).as(f + " tied=" + tied).isEqualTo(numel);
      }
    }
  }

  @Test
  void publishedParameterCountsOfGpt2SmallAndQwen25HalfB() {
    ModelConfig gpt2 = ModelConfig.builder(ModelFamilies.GPT2).vocabSize(50257).hiddenSize(768).intermediateSize(3072)
        .numLayers(12).numHeads(12).maxPositions(1024).build();
    assertThat(gpt2.parameterCount()).isEqualTo(124_439_808L); // what transformers reports for "gpt2"
    // 12 layers x (4 h^2 + 2 h * 4h) + the (tied) LM head's V x h
    assertThat(gpt2.matmulParameterCount()).isEqualTo(12L * (4 * 768 * 768 + 2 * 768 * 3072) + 50257L * 768);
    ModelConfig qwen = ModelConfig.builder(ModelFamilies.QWEN2).vocabSize(151936).hiddenSize(896).intermediateSize(4864)
        .numLayers(24).numHeads(14).numKvHeads(2).maxPositions(32768).tieWordEmbeddings(true).build();
    assertThat(qwen.parameterCount()).isEqualTo(494_032_768L); // Qwen2.5-0.5B
    assertThat(qwen.headDim()).isEqualTo(64);
  }

  @Test
  void builderAppliesFamilyDefaultsAndValidates() {
    assertThat(small(ModelFamilies.QWEN2).build().qkvBias()).isTrue();
    assertThat(small(ModelFamilies.LLAMA).build().qkvBias()).isFalse();
    ModelConfig g = small(ModelFamilies.GPT2).build();
    assertThat(g.qkvBias()).isTrue();
    assertThat(g.tieWordEmbeddings()).isTrue();
    assertThat(g.toBuilder().build()).isEqualTo(g);
    assertThatThrownBy(() -> small(ModelFamilies.GPT2).numKvHeads(2).build()).hasMessageContaining("no grouped-query attention");
    assertThatThrownBy(() -> small(ModelFamilies.LLAMA).numHeads(0).build()).hasMessageContaining("num_attention_heads must be > 0");
    assertThatThrownBy(() -> small(ModelFamilies.LLAMA).numKvHeads(3).build()).hasMessageContaining("multiple of num_key_value_heads");
  }

  @Test
  void configJsonFindsTheFamilyByModelTypeOrClassNameAndNamesTheFileOtherwise() throws Exception {
    ObjectNode o = small(ModelFamilies.QWEN2).build().toJson("float32");
    assertThat(o.get("architectures").get(0).asText()).isEqualTo("Qwen2ForCausalLM");
    o.remove("model_type");
    o.putArray("architectures").add("Qwen2ForSequenceClassification");
    assertThat(read(o).family()).isSameAs(ModelFamilies.QWEN2);
    o.put("model_type", "mistral");
    assertThat(read(o).family()).isSameAs(ModelFamilies.LLAMA);
    o.put("model_type", "mamba");
    assertThatThrownBy(() -> read(o)).isInstanceOf(CheckpointException.class).hasMessageContaining("config.json")
        .hasMessageContaining("unsupported model_type 'mamba'").hasMessageContaining("llama").hasMessageContaining("gpt2");
  }

  @Test
  void ropeThetaIsReadFromTransformers5RopeParameters() throws Exception {
    ObjectNode o = small(ModelFamilies.LLAMA).build().toJson("float32");
    o.remove("rope_theta");
    o.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 500000.0);
    assertThat(read(o).ropeTheta()).isEqualTo(500000.0);
    ((ObjectNode) o.get("rope_parameters")).put("rope_type", "yarn");
    assertThatThrownBy(() -> read(o)).hasMessageContaining("rope_type 'yarn'");
  }

  @Test
  void aRegisteredFamilyLoadsAndSavesThroughTheSameCode() {
    ModelFamily custom = new RenamedLlama("test-llama-" + System.nanoTime());
    ModelFamilies.register(custom);
    assertThatThrownBy(() -> ModelFamilies.register(custom)).hasMessageContaining("already registered");
    CausalLM m = CausalLM.random(small(custom).numKvHeads(2).build(), 2, Device.CPU);
    m.save(tmp.resolve("m"));
    CausalLM back = CausalLM.load(tmp.resolve("m"));
    assertThat(back.config().family()).isSameAs(custom);
    for (String k : m.parameters().keySet()) assertThat(torch.equal(back.parameters().get(k), m.parameters().get(k))).isTrue();
  }

  private ModelConfig read(ObjectNode o) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "cfg");
    JSON.writeValue(dir.resolve("config.json").toFile(), o);
    return ModelConfig.read(dir);
  }

  /** A family added from outside the library: Llama's blocks under another model_type. */
  private record RenamedLlama(String modelType) implements ModelFamily {
    private static final ModelFamily BASE = ModelFamilies.LLAMA;
    @Override public String causalLmClass() { return "TestForCausalLM"; }
    @Override public String sequenceClassifierClass() { return "TestForSequenceClassification"; }
    @Override public ModelConfig read(ConfigJson j) {
      return ModelConfig.builder(this).vocabSize(j.required("vocab_size")).hiddenSize(j.required("hidden_size"))
          .intermediateSize(j.required("intermediate_size")).numLayers(j.required("num_hidden_layers"))
          .numHeads(j.required("num_attention_heads")).numKvHeads(j.required("num_key_value_heads"))
          .maxPositions(j.required("max_position_embeddings")).normEps(j.decimal("rms_norm_eps", 0))
          .ropeTheta(j.decimal("rope_theta", 0)).tieWordEmbeddings(j.bool("tie_word_embeddings", false))
          .bosTokenId(j.tokenId("bos_token_id", 0)).eosTokenId(j.tokenId("eos_token_id", 0)).build();
    }
    @Override public void write(ModelConfig c, ObjectNode o) { BASE.write(c, o); }
    @Override public Backbone backbone(ModelConfig c, Weights w) { return BASE.backbone(c, w); }
    @Override public void layout(ModelConfig c, ParameterLayout p) { BASE.layout(c, p); }
  }
}
