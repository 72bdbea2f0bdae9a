package org.rlhf4j.evaluation.report;

import org.rlhf4j.common.FileOps;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a nested summary (maps, lists, numbers, strings, booleans, records such as
 * {@link org.rlhf4j.evaluation.WinRate}) to {@code summary.json}, pretty-printed with map keys in sorted order so
 * two runs' files diff cleanly. Non-finite numbers are written as the strings "NaN" / "Infinity" (Jackson's
 * default). Written atomically.
 */
public final class SummaryJson {
  public static final String FILE = "summary.json";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private SummaryJson() {}

  /** Writes {@code dir/summary.json} (creating {@code dir}) and returns its path. */
  public static Path write(Path dir, Map<String, ?> summary) throws IOException {
    Objects.requireNonNull(summary, "summary");
    Files.createDirectories(dir);
    byte[] bytes = JSON.writeValueAsBytes(summary);
    Path target = dir.resolve(FILE);
    FileOps.writeStream(target, out -> {
      out.write(bytes);
      out.write('\n');
    });
    return target;
  }
}
