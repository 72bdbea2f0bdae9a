package org.rlhf4j.training.lora;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.ppo.TinyTask;

/** Training with adapters: only they change, their optimizer state is all there is, the reference is the adapter-free base. */
class LoraTrainingTest {
  @TempDir Path tmp;

  private static List<DpoPair> pairs(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    return TinyTask.prompts(n, seed).stream().map(p -> new DpoPair(p, TinyTask.response(r, 4, 3), TinyTask.response(r, 4, 0))).toList();
  }

  private static float[] snapshot(Map<String, Tensor> params) {
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      return Tensors.toFloats(Tensors.cat(0, params.values().stream().map(t -> t.detach().flatten()).toArray(Tensor[]::new)));
    }
  }

  @Test void dpoWithLoraTrainsOnlyAdaptersAndItsReferenceEqualsAFrozenCopy() throws Exception {
    List<DpoPair> data = pairs(16, 3);
    CausalLM policy = TinyTask.policy(4);
    CausalLM frozenCopy = policy.copy(DType.F32);
    float[] baseBefore = snapshot(policy.parameters());
    LoraModel lora = policy.addAdapters(LoraConfig.of(4, 8, "all-linear"), 1);
    DpoConfig d = DpoConfig.defaults(tmp);
    DpoConfig cfg = d.withVariant(new DpoLoss.Sigmoid(0.1)).withBatchSize(4)
        .withTrain(d.train().toBuilder().lr(1e-2).maxSteps(6).saveEvery(6).schedule(Schedule.CONSTANT).build());

    var r = DpoTrainer.run(policy, null, data, cfg);
    assertThat(r.lastMetrics().get("rewards/margins")).isNotZero();

    assertThat(snapshot(policy.parameters())).as("base weights untouched").containsExactly(baseBefore);
    assertThat(lora.parameters().entrySet().stream().filter(e -> e.getKey().endsWith("lora_B.weight"))
        .anyMatch(e -> Tensors.toFloats(e.getValue().abs().sum())[0] > 0)).as("lora_B moved off zero").isTrue();
    Path ckpt = tmp.resolve("checkpoint-6");
    assertThat(ckpt.resolve(LoraModel.CONFIG_FILE)).isRegularFile();
    assertThat(ckpt.resolve(Safetensors.SINGLE)).doesNotExist();
    var optimizer = Safetensors.header(ckpt.resolve("optimizer.safetensors")).entries().keySet();
    assertThat(optimizer).isNotEmpty().allMatch(k -> k.contains("base_model.model.") && k.contains(".lora_"));

    // The reference DPO scores against: the base with adapters off, identical to a separate frozen copy.
    DpoLoss.Variant v = new DpoLoss.Sigmoid(0.1);
    Map<String, Double> viaView = DpoTrainer.evaluate(policy, policy.frozenReference(), data, v, 8);
    Map<String, Double> viaCopy = DpoTrainer.evaluate(policy, frozenCopy, data, v, 8);
    assertThat(viaView).isEqualTo(viaCopy);
    assertThat(viaView.get("rewards/margins")).isNotZero();
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor ids = Tensors.longs(new long[][] {data.get(0).prompt()}, Device.CPU);
      float[] a = Tensors.toFloats(policy.frozenReference().forward(ids, null).logits().log_softmax(-1));
      float[] b = Tensors.toFloats(frozenCopy.forward(ids, null).logits().log_softmax(-1));
      assertThat(a).containsExactly(b);
    }

    // resume restores the adapters from the checkpoint (no base weights are read)
    CausalLM again = TinyTask.policy(4);
    LoraModel lora2 = again.addAdapters(LoraConfig.of(4, 8, "all-linear"), 99);
    org.rlhf4j.training.loop.ModelCheckpoint.of(again).load(ckpt);
    assertThat(snapshot(lora2.parameters())).containsExactly(snapshot(lora.parameters()));
  }
}
