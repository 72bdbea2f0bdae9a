package org.rlhf4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code ../shared} (data and reference fixtures beside the checkout).
 * Tests call {@link #require(String)}: when the folder is absent the test is skipped
 * and the reason is printed, so a run outside CI says why it did less.
 */
public final class Shared {
  private Shared() {}

  /** The shared folder: system property {@code rlhf4j.shared}, else {@code ../shared}. */
  public static Path root() {
    String prop = System.getProperty("rlhf4j.shared");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
    return p.toAbsolutePath().normalize();
  }

  /** Resolves {@code relative} under the shared folder, skipping the calling test when it is missing. */
  public static Path require(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      String reason = "skipped: " + p + " is absent (../shared is provided beside the checkout in CI)";
      System.out.println(reason);
      Assumptions.abort(reason);
    }
    return p;
  }
}
