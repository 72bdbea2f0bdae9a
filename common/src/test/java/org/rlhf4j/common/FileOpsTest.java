package org.rlhf4j.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOpsTest {
  @TempDir Path dir;

  @Test void atomicWriteReplacesTheTarget() throws IOException {
    Path f = dir.resolve("sub/a.txt");
    FileOps.writeString(f, "one");
    FileOps.writeString(f, "two");
    assertThat(Files.readString(f)).isEqualTo("two");
    try (var s = Files.list(f.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("a.txt");
    }
  }

  @Test void failedWriteLeavesTheOldContentAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("a.txt");
    FileOps.writeString(f, "kept");
    assertThatThrownBy(() -> FileOps.writeAtomically(f, tmp -> {
      Files.writeString(tmp, "half", StandardCharsets.UTF_8);
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(Files.readString(f)).isEqualTo("kept");
    try (var s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  @Test void deleteTreeRemovesNestedFoldersAndIgnoresMissingOnes() throws IOException {
    Path root = dir.resolve("r");
    Files.createDirectories(root.resolve("x/y"));
    Files.writeString(root.resolve("x/y/z.txt"), "z");
    Files.writeString(root.resolve("top.txt"), "t");
    FileOps.deleteTree(root);
    assertThat(root).doesNotExist();
    FileOps.deleteTree(root); // absent: nothing happens
    FileOps.deleteQuietly(null);
  }
}
