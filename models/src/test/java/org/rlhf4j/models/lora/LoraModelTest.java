package org.rlhf4j.models.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.ModelFamilies;
import org.rlhf4j.models.ModelFamily;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/** LoRA behaviour on random tiny models (no fixtures needed). */
class LoraModelTest {
  @TempDir Path tmp;

  static CausalLM tiny(ModelFamily family) {
    ModelConfig.Builder b = ModelConfig.builder(family).vocabSize(50).hiddenSize(32).numLayers(2).numHeads(4).headDim(8)
        .maxPositions(64).normEps(1e-5).ropeTheta(1e4).bosTokenId(1).eosTokenId(2);
    ModelConfig c = family == ModelFamilies.GPT2 ? b.intermediateSize(64).numKvHeads(4).tieWordEmbeddings(true).build()
        : b.intermediateSize(48).numKvHeads(2).tieWordEmbeddings(false).build();
    return CausalLM.random(c, 3, Device.CPU);
  }

  private static float[] logits(CausalLM m) {
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor ids = Tensors.longs(new long[][] {{1, 5, 9, 13, 7}, {0, 0, 4, 8, 3}}, Device.CPU);
      Tensor mask = Tensors.longs(new long[][] {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}}, Device.CPU);
      return Tensors.toFloats(m.forward(ids, mask).logits());
    }
  }

  private static void perturbB(LoraModel lora) {
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().forEach((k, t) -> {
        if (k.endsWith("lora_B.weight")) t.normal_(0, 0.5, new org.bytedeco.pytorch.GeneratorOptional());
      });
    }
  }

  @Test
  void freshAdaptersLeaveOutputsUnchangedAndOnlyTheyTrain() {
    CausalLM m = tiny(ModelFamilies.LLAMA);
    float[] before = logits(m);
    LoraModel lora = m.addAdapters(LoraConfig.of(4, 8, "q_proj,v_proj"), 1);
    assertThat(lora.modules()).containsExactly("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj");
    assertThat(lora.parameters()).containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
    assertThat(lora.parameters().get("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight").shape()).containsExactly(16, 4);
    assertThat(logits(m)).containsExactly(before);
    m.requiresGrad(true);
    assertThat(m.parameters().values()).noneMatch(Tensor::requires_grad);
    assertThat(lora.parameters().values()).allMatch(Tensor::requires_grad);
    assertThat(m.trainable()).isSameAs(lora);
  }

  @Test
  void withoutAdaptersIsTheBaseModelSharingItsWeights() {
    CausalLM m = tiny(ModelFamilies.GPT2);
    float[] base = logits(m);
    CausalLM frozen = m.copy(m.dtype());
    LoraModel lora = m.addAdapters(LoraConfig.of(2, 16, "c_attn,c_fc"), 7);
    perturbB(lora);
    float[] adapted = logits(m);
    assertThat(adapted).isNotEqualTo(base);
    CausalLM ref = m.withoutAdapters();
    assertThat(logits(ref)).containsExactly(base);
    assertThat(logits(ref)).containsExactly(logits(frozen));
    assertThat(ref.parameters().get("transformer.wte.weight")).isSameAs(m.parameters().get("transformer.wte.weight"));
    assertThat(logits(m)).as("the view does not switch the policy's adapters off").containsExactly(adapted);
  }

  @Test
  void mergeAndUnmergeRoundTrip() {
    CausalLM m = tiny(ModelFamilies.QWEN2);
    float[] base = logits(m);
    LoraModel lora = m.addAdapters(LoraConfig.of(4, 4, "all-linear").withRsLora(true), 2);
    assertThat(lora.config().scaling()).isEqualTo(2.0);
    assertThat(((TargetModules.Names) lora.config().targets()).names())
        .containsExactly("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    perturbB(lora);
    float[] adapted = logits(m);
    lora.merge();
    assertThat(lora.merged()).isTrue();
    assertClose(logits(m), adapted, 1e-4);
    lora.unmerge();
    assertClose(logits(m), adapted, 1e-4);
    assertClose(logits(m.withoutAdapters()), base, 1e-4);
  }

  @Test
  void targetsAndPatterns() {
    assertThat(TargetModules.parse("q_proj, v_proj").matches("model.layers.0.self_attn.q_proj")).isTrue();
    assertThat(TargetModules.parse("q_proj").matches("model.layers.0.self_attn.qq_proj")).isFalse();
    TargetModules re = TargetModules.parse("regex:.*layers\\.1\\..*(q|v)_proj");
    assertThat(re.matches("model.layers.1.self_attn.v_proj")).isTrue();
    assertThat(re.matches("model.layers.0.self_attn.v_proj")).isFalse();
    CausalLM m = tiny(ModelFamilies.LLAMA);
    LoraModel lora = m.addAdapters(new LoraConfig(2, 4, 0, re, null, false, null), 1);
    assertThat(lora.modules()).containsExactly("model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj");
    assertThatThrownBy(() -> tiny(ModelFamilies.GPT2).addAdapters(LoraConfig.of(2, 4, "q_proj"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--lora-targets").hasMessageContaining("c_attn");
    assertThatThrownBy(() -> LoraConfig.of(0, 4, "q_proj")).hasMessageContaining("r must be at least 1");
    assertThatThrownBy(() -> m.addAdapters(LoraConfig.of(2, 4, "k_proj"), 1)).hasMessageContaining("already has adapters");
  }

  @Test
  void savedAdapterReloadsAndBadFoldersAreRefusedByName() throws Exception {
    CausalLM m = tiny(ModelFamilies.LLAMA);
    LoraModel lora = m.addAdapters(LoraConfig.of(4, 8, "q_proj,down_proj").withDropout(0.1), 5);
    perturbB(lora);
    float[] adapted = logits(m);
    lora.save(tmp.resolve("a"));
    CausalLM again = tiny(ModelFamilies.LLAMA);
    again.loadAdapters(tmp.resolve("a"));
    assertThat(logits(again)).containsExactly(adapted);
    assertThat(again.adapters().orElseThrow().config().dropout()).isEqualTo(0.1);

    String cfg = Files.readString(tmp.resolve("a/adapter_config.json"));
    Files.createDirectories(tmp.resolve("dora"));
    Files.copy(tmp.resolve("a/adapter_model.safetensors"), tmp.resolve("dora/adapter_model.safetensors"));
    Files.writeString(tmp.resolve("dora/adapter_config.json"), cfg.replace("\"use_dora\" : false", "\"use_dora\" : true"));
    assertThatThrownBy(() -> tiny(ModelFamilies.LLAMA).loadAdapters(tmp.resolve("dora"))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("use_dora");
    Files.writeString(tmp.resolve("dora/adapter_config.json"), cfg.replace("\"r\" : 4", "\"r\" : 8"));
    assertThatThrownBy(() -> tiny(ModelFamilies.LLAMA).loadAdapters(tmp.resolve("dora"))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("lora_A.weight").hasMessageContaining("expected [8, 32]");
    assertThatThrownBy(() -> tiny(ModelFamilies.LLAMA).loadAdapters(tmp.resolve("none"))).hasMessageContaining("adapter_config.json");
  }

  private static void assertClose(float[] a, float[] b, double tol) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    assertThat(max).isLessThan(tol);
  }
}
