package org.rlhf4j.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rlhf4j figures beside those of {@code ../shared/bench/pytorch_reference.py}: both print JSON lines with a
 * {@code bench} kind ({@code peak}, {@code train_step}, {@code decode}); figures are matched by kind, model, dtype
 * and sequence length, and each pair is reported with the rlhf4j/PyTorch ratio.
 */
public final class Compare {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference's figures by metric name ("decode gpt2-124m batch1 tokens/s"); lines that are not JSON are skipped. */
  public static Map<String, Double> readReference(Path file) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file)) {
      lineNo++;
      String t = line.trim();
      if (!t.startsWith("{")) continue; // the reference also prints a header and "(task took ...)" lines
      JsonNode n;
      try {
        n = JSON.readTree(t);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(file + ":" + lineNo + ": not a JSON line (" + e.getOriginalMessage() + ")", e);
      }
      out.putAll(metrics(n));
    }
    if (out.isEmpty()) throw new IOException(file + ": no benchmark lines (expected the JSON lines of pytorch_reference.py)");
    return out;
  }

  /** The comparable figures of one JSON line of either tool. */
  public static Map<String, Double> metrics(JsonNode n) {
    Map<String, Double> m = new LinkedHashMap<>();
    String kind = n.path("bench").asText("");
    switch (kind) {
      case "peak" -> {
        // reference: {"dtype":"fp32","gflops":..}; rlhf4j: {"fp32_gflops":..,"bf16_gflops":..}
        if (n.has("gflops")) m.put("peak " + n.path("dtype").asText() + " GFLOP/s", n.path("gflops").asDouble());
        if (n.has("fp32_gflops")) m.put("peak fp32 GFLOP/s", n.path("fp32_gflops").asDouble());
      }
      case "train_step" -> m.put("train " + n.path("model").asText() + " " + n.path("dtype").asText() + " seq "
          + n.path("seq").asInt() + " tokens/s", n.path("tokens_per_s").asDouble());
      case "decode" -> {
        String model = n.path("model").asText();
        if (n.has("batch1_tokens_per_s")) m.put("decode " + model + " batch1 tokens/s", n.path("batch1_tokens_per_s").asDouble());
        if (n.has("batch32_tokens_per_s")) m.put("decode " + model + " batch32 tokens/s", n.path("batch32_tokens_per_s").asDouble());
      }
      default -> { }
    }
    return m;
  }

  /** One JSON-ready row per metric both sides measured: rlhf4j, PyTorch and rlhf4j/PyTorch. */
  public static List<Map<String, Object>> rows(Map<String, Double> ours, Map<String, Double> reference) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Double> e : ours.entrySet()) {
      Double ref = reference.get(e.getKey());
      if (ref == null) continue;
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("metric", e.getKey());
      o.put("rlhf4j", e.getValue());
      o.put("pytorch", ref);
      o.put("ratio", ref > 0 ? Math.round(e.getValue() / ref * 1000.0) / 1000.0 : null);
      rows.add(o);
    }
    return rows;
  }

  private Compare() {}
}
