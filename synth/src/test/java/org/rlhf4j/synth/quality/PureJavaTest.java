package org.rlhf4j.synth.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The quality report, the table reader and the copula never load libtorch: no source in them names it. */
class PureJavaTest {
  @Test void reportTableAndCopulaPackagesDoNotTouchLibtorch() throws IOException {
    Path root = Path.of("src/main/java/org/rlhf4j/synth");
    for (String pkg : List.of("quality", "table", "copula")) {
      try (Stream<Path> files = Files.list(root.resolve(pkg))) {
        for (Path f : files.toList()) {
          String src = Files.readString(f);
          assertThat(src).as(f.toString()).doesNotContain("org.bytedeco").doesNotContain("org.rlhf4j.runtime")
              .doesNotContain("org.rlhf4j.synth.ctgan");
        }
      }
    }
  }
}
