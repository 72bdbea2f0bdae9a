package org.rlhf4j.demo.pipeline;

import org.rlhf4j.common.FileOps;
import org.rlhf4j.common.Reporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stage's folder in the demo's output, stamped with the settings it was trained under ({@code stage.key}). A
 * re-run with the same settings resumes the stage from its latest checkpoint (a finished stage is loaded, not
 * retrained); a folder stamped with other settings, or not stamped, is from another run and is cleared first.
 */
public final class StageDir {
  static final String KEY_FILE = "stage.key";

  private StageDir() {}

  /** Makes {@code dir} ready for a stage trained under {@code key}; returns true when it resumes earlier work. */
  public static boolean prepare(Path dir, String key, Reporter log) {
    try {
      Path stamp = dir.resolve(KEY_FILE);
      boolean resumes = Files.isRegularFile(stamp) && Files.readString(stamp, StandardCharsets.UTF_8).equals(key);
      if (!resumes && Files.exists(dir)) {
        log.info("    " + dir + " holds a run with other settings: training this stage afresh");
        FileOps.deleteTree(dir);
      }
      Files.createDirectories(dir);
      FileOps.writeString(stamp, key);
      if (resumes) log.info("    resuming from " + dir);
      return resumes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }
}
