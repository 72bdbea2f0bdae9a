package org.rlhf4j.training.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loop's own state in a checkpoint ({@code trainer_state.json}), everything besides the
 * model and the optimizer needed to continue exactly.
 *
 * @param step         optimizer steps completed
 * @param lr           learning rate of that last step
 * @param dataPosition {@link DataCursor#position()} after the step
 * @param seed         the run's seed
 * @param rngState     libtorch's default CPU generator state (base64 of its byte tensor)
 * @param config       the run's {@link TrainConfig#toMap()}
 */
public record TrainerState(int step, double lr, long dataPosition, long seed, String rngState, Map<String, Object> config) {
  static final String FILE = "trainer_state.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void write(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", step);
    m.put("lr", lr);
    m.put("data_position", dataPosition);
    m.put("seed", seed);
    m.put("rng_state", rngState);
    m.put("config", config);
    JSON.writeValue(file.toFile(), m);
  }

  /** Reads a {@code trainer_state.json}; errors name the file and the missing field. */
  public static TrainerState read(Path file) throws IOException {
    Map<String, Object> m;
    try {
      m = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IOException(file + ": malformed JSON: " + e.getMessage(), e);
    }
    return new TrainerState(number(file, m, "step").intValue(), number(file, m, "lr").doubleValue(),
        number(file, m, "data_position").longValue(), number(file, m, "seed").longValue(),
        String.valueOf(m.getOrDefault("rng_state", "")),
        m.get("config") instanceof Map<?, ?> c ? castConfig(c) : Map.of());
  }

  private static Number number(Path file, Map<String, Object> m, String key) throws IOException {
    if (m.get(key) instanceof Number n) return n;
    throw new IOException(file + ": field \"" + key + "\" is missing or not a number");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castConfig(Map<?, ?> c) { return (Map<String, Object>) c; }
}
