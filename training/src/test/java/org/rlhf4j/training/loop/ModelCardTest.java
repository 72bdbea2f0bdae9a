package org.rlhf4j.training.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
  @TempDir Path dir;

  @Test void cardSaysHowTheModelWasTrainedWithTheLastTrainingLine() throws Exception {
    Files.write(dir.resolve("metrics.jsonl"), List.of("{\"step\": 1, \"loss\": 0.9, \"lr\": 1e-5}",
        "{\"step\": 2, \"loss\": 0.7, \"rewards/margins\": 0.25}", "{\"step\": 2, \"eval/accuracy\": 0.75}"));
    ModelCard card = ModelCard.of("dpo", Path.of("/models/sft"), Path.of("pairs|x.jsonl"), Map.of("beta", 0.1)).withMetricsOf(dir);
    card.write(dir);
    String md = Files.readString(dir.resolve(ModelCard.FILE));
    assertThat(md).startsWith("---\nlibrary_name: rlhf4j\ntags:\n- rlhf4j\n- dpo\n---\n")
        .doesNotContain("base_model:") // a local folder is no hub id
        .contains("Trained with `rlhf4j dpo` from `/models/sft` on `pairs|x.jsonl`", "| `beta` | 0.1 |",
            "| `rewards/margins` | 0.25 |", "| `step` | 2 |")
        .doesNotContain("eval/accuracy");
    assertThat(ModelCard.of("sft", "Qwen/Qwen2.5-0.5B", null, null).markdown()).contains("base_model: Qwen/Qwen2.5-0.5B");
    assertThatThrownBy(() -> ModelCard.of(" ", null, null, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test void aLoraAdapterFolderGetsAnAdapterCard() throws Exception {
    Files.writeString(dir.resolve("adapter_config.json"), "{}");
    ModelCard.of("sft", Path.of("/models/base"), null, Map.of("lora_r", 4)).write(dir);
    String md = Files.readString(dir.resolve(ModelCard.FILE));
    assertThat(md).contains("- peft\n- lora\n", "# SFT LoRA adapter trained with rlhf4j", "`adapter_config.json`",
        "./rlhf4j generate --model /models/base --adapter THIS_FOLDER", "PeftModel.from_pretrained")
        .doesNotContain("`model.safetensors`");
    assertThat(ModelCard.of("sft", null, null, null).markdown()).doesNotContain("peft", "adapter");
  }
}
