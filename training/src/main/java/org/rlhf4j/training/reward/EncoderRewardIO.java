package org.rlhf4j.training.reward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.models.bert.BertEncoder;
import org.rlhf4j.models.bert.BertLoader;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;

/**
 * Hugging Face {@code BertForSequenceClassification} files (num_labels 1) for an encoder {@link RewardModel}:
 * {@code bert.*} encoder and pooler tensors, {@code classifier.weight} [1, H] and {@code classifier.bias} [1] in
 * {@code model.safetensors}, config.json and the tokenizer files.
 */
final class EncoderRewardIO {
  static final String ARCHITECTURE = "BertForSequenceClassification";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EncoderRewardIO() {}

  /** Whether {@code config.json} describes a BERT-family model (model_type bert, or a Bert* architecture). */
  static boolean isEncoder(Path dir) {
    try {
      var c = JSON.readTree(dir.resolve("config.json").toFile());
      if ("bert".equals(c.path("model_type").asText())) return true;
      for (var a : c.path("architectures")) if (a.asText().startsWith("Bert")) return true;
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("config.json") + ": " + e.getMessage(), e);
    }
  }

  static void save(EncoderBackbone b, Path dir) {
    try (NativeScope scope = NativeScope.open()) {
      Files.createDirectories(dir);
      Safetensors.saveDir(dir, b.parameters(), Map.of("format", "pt"), 2L << 30);
      ObjectNode o = b.encoder.config().toJson();
      o.putArray("architectures").add(ARCHITECTURE);
      o.put("num_labels", 1);
      o.putObject("id2label").put("0", "LABEL_0");
      o.putObject("label2id").put("LABEL_0", 0);
      o.put("pad_token_id", b.padId());
      o.put("initializer_range", 0.02);
      o.put("torch_dtype", "float32");
      if (b.pooling != EncoderPooling.CLS) o.put(EncoderPooling.CONFIG_KEY, b.pooling.key());
      FileOps.writeAtomically(dir.resolve("config.json"), tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), o));
      b.encoder.writeTokenizer(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save reward model to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** config.json's {@code rlhf4j_pooling} ("mean"), or [CLS] as transformers pools when absent. */
  private static EncoderPooling pooling(Path dir) {
    try {
      var v = JSON.readTree(dir.resolve("config.json").toFile()).path(EncoderPooling.CONFIG_KEY);
      return v.isMissingNode() ? EncoderPooling.CLS : EncoderPooling.parse(v.asText(), dir.resolve("config.json") + " " + EncoderPooling.CONFIG_KEY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("config.json") + ": " + e.getMessage(), e);
    }
  }

  /** Reads a single-label BERT sequence classifier (pooler and {@code classifier.*} required). */
  static EncoderBackbone load(Path dir, Device device) {
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) throw new CheckpointException(dir + ": no tokenizer.json");
    BertEncoder enc = BertLoader.load(dir, device);
    try (NativeScope scope = NativeScope.open()) {
      Map<String, Tensor> all = Safetensors.loadDir(dir);
      ScalarHead head = ScalarHead.from(ScalarHead.Kind.CLASSIFIER, all, enc.hiddenSize());
      if (head == null || !all.containsKey("classifier.bias")) {
        throw new CheckpointException(dir + ": no 'classifier.weight' and 'classifier.bias': not a BERT sequence classifier"
            + " (start one from an encoder with RewardModel.init(BertEncoder, seed))");
      }
      var pooler = enc.pooler().orElseThrow(() -> new CheckpointException(dir + ": no 'bert.pooler.dense.*' tensors"
          + " (BertForSequenceClassification scores the pooled output)"));
      head.parameters().values().forEach(scope::keep);
      return new EncoderBackbone(enc, pooler, head.to(device), pooling(dir));
    }
  }
}
