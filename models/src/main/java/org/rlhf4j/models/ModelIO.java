package org.rlhf4j.models;

import org.rlhf4j.common.FileOps;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Safetensors;

/** Reads and writes causal LMs in Hugging Face folder layout. */
final class ModelIO {
  private ModelIO() {}

  static CausalLM load(Path dir, Device device, DType dtype) {
    ModelConfig cfg = ModelConfig.read(dir);
    Map<String, Tensor> raw = Safetensors.loadDir(dir);
    Map<String, Tensor> named = cfg.family().canonicalNames(raw);
    Map<String, Tensor> converted = new LinkedHashMap<>();
    for (var e : named.entrySet()) {
      Tensor t = e.getValue().to(dtype.scalarType());
      converted.put(e.getKey(), device.isCuda() ? t.to(device.torch(), dtype.scalarType()) : t);
    }
    String source = Files.isRegularFile(dir.resolve(Safetensors.SINGLE)) ? dir.resolve(Safetensors.SINGLE).toString() : dir.toString();
    return new CausalLM(cfg, converted, source, device);
  }

  static void save(CausalLM model, Path dir) {
    try {
      Files.createDirectories(dir);
      Map<String, String> meta = Map.of("format", "pt");
      Safetensors.saveDir(dir, model.parameters(), meta, 2L << 30);
      String dtype = switch (model.dtype()) {
        case BF16 -> "bfloat16";
        case F16 -> "float16";
        default -> "float32";
      };
      FileOps.writeAtomically(dir.resolve("config.json"),
          tmp -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), model.config().toJson(dtype)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save model to " + dir + ": " + e.getMessage(), e);
    }
  }
}
