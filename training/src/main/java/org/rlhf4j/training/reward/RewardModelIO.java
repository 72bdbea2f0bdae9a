package org.rlhf4j.training.reward;

import org.rlhf4j.common.FileOps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;

/** Hugging Face {@code *ForSequenceClassification} files for {@link RewardModel}. */
final class RewardModelIO {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SHARD_BYTES = 2L << 30;
  static final String SCORE = "score.weight";

  private RewardModelIO() {}

  static void save(CausalBackbone rm, Path dir) {
    try (NativeScope scope = NativeScope.open()) {
      Files.createDirectories(dir);
      Safetensors.saveDir(dir, rm.parameters(), Map.of("format", "pt"), SHARD_BYTES);
      FileOps.writeAtomically(dir.resolve("config.json"), tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), config(rm)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save reward model to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The backbone's config.json as a single-label sequence classifier. */
  static ObjectNode config(CausalBackbone rm) {
    ModelConfig c = rm.lm.config();
    String dtype = switch (rm.lm.dtype()) {
      case BF16 -> "bfloat16";
      case F16 -> "float16";
      default -> "float32";
    };
    ObjectNode o = c.toJson(dtype);
    o.putArray("architectures").add(c.family().sequenceClassifierClass());
    o.put("num_labels", 1);
    o.putObject("id2label").put("0", "LABEL_0");
    o.putObject("label2id").put("LABEL_0", 0);
    o.put("tie_word_embeddings", rm.tiedInSource);
    o.put("pad_token_id", rm.padId());
    return o;
  }

  /**
   * Reads a sequence classifier: {@code score.weight} becomes the head, the rest the backbone.
   * The backbone is built by {@link CausalLM#load} from a scratch folder holding the backbone
   * tensors and a config marked tied (a classifier has no lm_head; the LM head is unused here).
   */
  static RewardModel load(Path dir, Device device) {
    ModelConfig cfg = ModelConfig.read(dir);
    Path scratch = null;
    try {
      Map<String, Tensor> all = Safetensors.loadDir(dir);
      ScalarHead head = ScalarHead.from(ScalarHead.Kind.SCORE, all, cfg.hiddenSize());
      if (head == null) {
        throw new CheckpointException(dir + ": no 'score.weight' tensor: not a reward model (start one from a language"
            + " model with RewardModel.init)");
      }
      Map<String, Tensor> backbone = new LinkedHashMap<>(all);
      backbone.remove(SCORE);
      backbone.remove(RewardModel.LM_HEAD);
      scratch = Files.createTempDirectory("rlhf4j-rm-");
      Safetensors.save(scratch.resolve(Safetensors.SINGLE), backbone, Map.of("format", "pt"));
      JsonNode raw = JSON.readTree(dir.resolve("config.json").toFile());
      ((ObjectNode) raw).put("tie_word_embeddings", true);
      JSON.writeValue(scratch.resolve("config.json").toFile(), raw);
      CausalLM lm = CausalLM.load(scratch, device, DType.F32);
      JsonNode pad = raw.path("pad_token_id");
      return RewardModel.of(lm, head, dir, cfg.tieWordEmbeddings(), pad.isInt() ? pad.asInt() : null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load reward model from " + dir + ": " + e.getMessage(), e);
    } finally {
      FileOps.deleteQuietly(scratch);
    }
  }
}
