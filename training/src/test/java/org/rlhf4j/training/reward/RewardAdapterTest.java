package org.rlhf4j.training.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.rlhf4j.training.reward.RewardModelHfParityTest.longs;
import static org.rlhf4j.training.reward.RewardModelHfParityTest.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.testkit.Shared;

/**
 * LoRA reward models in PEFT's SEQ_CLS layout (peft's {@code PeftModelForSequenceClassification}: modules_to_save
 * ["classifier", "score"], the head saved by {@code ModulesToSaveWrapper.adapter_state_dict} under
 * {@code base_model.model.score.weight}), written and read back; PEFT's numbers from the lora-llama-tiny fixture.
 */
class RewardAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /**
   * A SEQ_CLS folder laid out as PEFT names it, made of the PEFT-written lora-llama-tiny tensors and a score head equal
   * to lm_head's row V: each reward is then the adapted model's logit of token V at the pooled (last) position, which
   * peft computed (expected.json's logits).
   */
  @Test void loadsAPeftLayoutSeqClsAdapterAndScoresWhatPeftsModelComputes() throws Exception {
    Path base = Shared.require("fixtures/llama-tiny"), lora = Shared.require("fixtures/lora-llama-tiny");
    int v = 123;
    Path dir = seqCls(lora, base, v, tmp.resolve("peft"));
    RewardModel rm = RewardModel.load(base, dir);
    assertThat(rm.adapters()).isPresent();
    JsonNode e = JSON.readTree(lora.resolve("expected.json").toFile());
    float[] r = score(rm, longs(e.get("input_ids")), longs(e.get("attention_mask")));
    for (int row = 0; row < r.length; row++) {
      double want = e.at("/logits/" + row + "/9/" + v).asDouble();
      assertThat((double) r[row]).as("row " + row).isCloseTo(want, within(e.at("/tolerance/logits").asDouble()));
    }
    float[] off = rm.adapters().get().disabled(() -> score(rm, longs(e.get("input_ids")), longs(e.get("attention_mask"))));
    assertThat(off[0]).as("the adapters are what moves the score").isNotCloseTo(r[0], within(1e-3f));
  }

  /** What rlhf4j writes has exactly PEFT's SEQ_CLS keys and config fields, and loads back to the same scores. */
  @Test void writesPeftsSeqClsKeysAndConfigAndReadsThemBack() throws Exception {
    Path base = Shared.require("fixtures/llama-tiny");
    RewardModel rm = RewardModel.init(CausalLM.load(base), (Path) null, 5);
    LoraModel lora = rm.backbone().addAdapters(LoraConfig.of(2, 4, "q_proj,v_proj").withBaseModel(base.toString()), 9);
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().forEach((k, t) -> { if (k.contains("lora_B")) t.normal_(0, 0.3, new org.bytedeco.pytorch.GeneratorOptional()); });
    }
    Path dir = tmp.resolve("rlhf4j");
    RewardAdapterIO.checkpoint(rm).save(dir);
    List<String> want = new ArrayList<>();
    for (int layer = 0; layer < 2; layer++) {
      for (String m : List.of("q_proj", "v_proj")) {
        for (String ab : List.of("lora_A", "lora_B")) want.add("base_model.model.model.layers." + layer + ".self_attn." + m + "." + ab + ".weight");
      }
    }
    want.add("base_model.model.score.weight");
    assertThat(Safetensors.header(dir.resolve(LoraModel.WEIGHTS_FILE)).entries().keySet()).containsExactlyInAnyOrderElementsOf(want);
    JsonNode cfg = JSON.readTree(dir.resolve(LoraModel.CONFIG_FILE).toFile());
    assertThat(cfg.get("task_type").asText()).isEqualTo("SEQ_CLS");
    assertThat(cfg.get("modules_to_save")).hasSize(2);
    assertThat(cfg.at("/modules_to_save/0").asText()).isEqualTo("classifier");
    assertThat(cfg.at("/modules_to_save/1").asText()).isEqualTo("score");
    assertThat(cfg.get("peft_type").asText()).isEqualTo("LORA");
    JsonNode fixture = JSON.readTree(Shared.require("fixtures/lora-llama-tiny").resolve(LoraModel.CONFIG_FILE).toFile());
    assertThat(iterable(cfg.fieldNames())).as("PEFT 0.21's fields").containsExactlyInAnyOrderElementsOf(iterable(fixture.fieldNames()));

    long[][] ids = {{1, 45, 77, 120, 9, 33, 2, 2}, {1, 3, 4, 5, 6, 7, 8, 9}};
    long[][] mask = {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}};
    float[] before = score(rm, ids, mask);
    assertThat(score(RewardModel.load(base, dir), ids, mask)).containsExactly(before);
    assertThat(score(RewardModel.load(dir), ids, mask)).as("base from base_model_name_or_path").containsExactly(before);

    // resume: the checkpoint restores the adapters and the score head from that one file
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().values().forEach(Tensor::zero_);
      rm.head().parameters().values().forEach(Tensor::zero_);
    }
    assertThat(score(rm, ids, mask)).isNotEqualTo(before);
    RewardAdapterIO.checkpoint(rm).load(dir);
    assertThat(score(rm, ids, mask)).containsExactly(before);
  }

  @Test void refusesACausalAdapterAsARewardModelAndASeqClsAdapterAsAnLm() throws Exception {
    Path base = Shared.require("fixtures/llama-tiny"), lora = Shared.require("fixtures/lora-llama-tiny");
    assertThatThrownBy(() -> RewardModel.load(base, lora)).isInstanceOf(CheckpointException.class).hasMessageContaining("task_type");
    Path dir = seqCls(lora, base, 5, tmp.resolve("seq"));
    assertThatThrownBy(() -> CausalLM.load(base).loadAdapters(dir)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("task_type is SEQ_CLS").hasMessageContaining("--adapter");
    Path noHead = tmp.resolve("nohead");
    Files.createDirectories(noHead);
    Files.copy(dir.resolve(LoraModel.CONFIG_FILE), noHead.resolve(LoraModel.CONFIG_FILE));
    Safetensors.save(noHead.resolve(LoraModel.WEIGHTS_FILE), Safetensors.load(lora.resolve(LoraModel.WEIGHTS_FILE)), Map.of("format", "pt"));
    assertThatThrownBy(() -> RewardModel.load(base, noHead)).hasMessageContaining("base_model.model.score.weight");
  }

  static Path seqCls(Path lora, Path base, int v, Path dir) throws Exception {
    Files.createDirectories(dir);
    ObjectNode cfg = (ObjectNode) JSON.readTree(lora.resolve(LoraModel.CONFIG_FILE).toFile());
    cfg.put("task_type", "SEQ_CLS");
    cfg.putArray("modules_to_save").add("classifier").add("score");
    JSON.writeValue(dir.resolve(LoraModel.CONFIG_FILE).toFile(), cfg);
    Map<String, Tensor> t = new LinkedHashMap<>(Safetensors.load(lora.resolve(LoraModel.WEIGHTS_FILE)));
    Tensor lmHead = Safetensors.loadDir(base).get("lm_head.weight");
    t.put("base_model.model.score.weight", lmHead.narrow(0, v, 1).clone());
    Safetensors.save(dir.resolve(LoraModel.WEIGHTS_FILE), t, Map.of("format", "pt"));
    return dir;
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
