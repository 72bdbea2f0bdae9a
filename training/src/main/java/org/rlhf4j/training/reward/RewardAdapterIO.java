package org.rlhf4j.training.reward;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.models.lora.PeftTask;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.training.loop.ModelCheckpoint;

/**
 * A LoRA reward model in PEFT's SEQ_CLS layout ({@link PeftTask#SEQ_CLS}): the adapters plus the score head saved
 * whole as a {@code modules_to_save} module ({@code base_model.model.score.weight}), what
 * {@code PeftModel.from_pretrained(AutoModelForSequenceClassification.from_pretrained(BASE, num_labels=1), DIR)}
 * loads; and the reward model such a folder gives on its base.
 */
final class RewardAdapterIO {
  private RewardAdapterIO() {}

  /** The run's checkpoint of a LoRA reward model: the SEQ_CLS folder, restored by name from its safetensors file. */
  static ModelCheckpoint checkpoint(RewardModel rm) {
    LoraModel lora = rm.adapters().orElseThrow();
    Map<String, Tensor> head = rm.head().parameters();
    Map<String, Tensor> saved = lora.withModules(head);
    HasParameters all = () -> saved;
    return ModelCheckpoint.of(all, dir -> lora.save(dir, PeftTask.SEQ_CLS, head), LoraModel.WEIGHTS_FILE);
  }

  /** The base of an adapter folder: its {@code base_model_name_or_path}, which must be a folder. */
  static Path baseOf(Path adapter) {
    LoraConfig cfg = LoraModel.configOf(adapter);
    if (cfg.baseModel() == null) {
      throw new CheckpointException(adapter.resolve(LoraModel.CONFIG_FILE) + ": base_model_name_or_path is null: name the base "
          + "model (a causal LM or reward model folder) with the adapter's flag");
    }
    Path base = Path.of(cfg.baseModel());
    if (!Files.isRegularFile(base.resolve("config.json"))) {
      throw new CheckpointException(adapter.resolve(LoraModel.CONFIG_FILE) + ": base_model_name_or_path '" + cfg.baseModel()
          + "' is not a model folder here (no config.json): name the base model with the adapter's flag");
    }
    return base;
  }

  /**
   * {@code base} (a causal LM, or a causal reward model whose head the adapter's replaces) with the adapters of the
   * SEQ_CLS folder {@code adapter} attached (not merged) and its score head; the tokenizer of the adapter folder when it
   * has one, else the base's.
   */
  static RewardModel load(Path base, Path adapter, Device device) {
    if (EncoderRewardIO.isEncoder(base)) {
      throw new CheckpointException(base + ": a BERT-family encoder; LoRA reward adapters go on causal LMs");
    }
    boolean classifier = isClassifier(base);
    CausalBackbone from = classifier ? RewardModelIO.load(base, device).causal() : null;
    CausalLM lm = classifier ? from.lm : CausalLM.load(base, device, org.rlhf4j.runtime.DType.F32);
    LoraModel lora = lm.loadAdapters(adapter, PeftTask.SEQ_CLS);
    int hidden = lm.config().hiddenSize();
    for (String k : lora.savedModules().keySet()) {
      if (!k.equals(RewardModelIO.SCORE)) {
        throw new CheckpointException(adapter.resolve(LoraModel.WEIGHTS_FILE) + ": saved module tensor 'base_model.model." + k
            + "' is not a causal reward model's score head (" + RewardModelIO.SCORE + ")");
      }
    }
    ScalarHead head = ScalarHead.from(ScalarHead.Kind.SCORE, lora.savedModules(), hidden);
    if (head == null && !classifier) {
      throw new CheckpointException(adapter.resolve(LoraModel.WEIGHTS_FILE) + ": no 'base_model.model.score.weight' and " + base
          + " is not a reward model: the score head would be random");
    }
    if (head == null) head = from.head;
    Path tokenizer = Files.isRegularFile(adapter.resolve("tokenizer.json")) ? adapter : base;
    return classifier ? RewardModel.of(lm, head, tokenizer, from.tiedInSource, from.padId())
        : RewardModel.of(lm, head, tokenizer, lm.config().tieWordEmbeddings(), null);
  }

  static boolean isClassifier(Path dir) {
    try {
      return Files.readString(dir.resolve("config.json")).contains("ForSequenceClassification");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + dir.resolve("config.json") + ": " + e.getMessage(), e);
    }
  }
}
