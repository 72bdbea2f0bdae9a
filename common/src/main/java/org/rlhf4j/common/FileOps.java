package org.rlhf4j.common;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The file operations whose correctness every layer relies on: writes that are all-or-nothing (a temporary file
 * beside the target, renamed into place only when complete, so a crash never leaves half a file) and recursive
 * deletion.
 */
public final class FileOps {
  private FileOps() {}

  /** Writes a file's content into the temporary path it is given. */
  @FunctionalInterface
  public interface Writer {
    void write(Path tmp) throws IOException;
  }

  /**
   * Writes {@code target} atomically: {@code writer} fills a new, empty temporary file in the same folder, which then replaces
   * the target in one rename. On any failure the temporary file is removed and the target is as it was.
   */
  public static void writeAtomically(Path target, Writer writer) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp"); // unique: writers never share one
    try {
      writer.write(tmp);
      move(tmp, target);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Writes a file's content to a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void write(OutputStream out) throws IOException;
  }

  /** {@link #writeAtomically} through an output stream (buffered; closed here). */
  public static void writeStream(Path target, StreamWriter writer) throws IOException {
    writeAtomically(target, tmp -> {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        writer.write(out);
      }
    });
  }

  /** {@link #writeAtomically} of a UTF-8 string. */
  public static void writeString(Path target, String content) throws IOException {
    writeAtomically(target, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
  }

  /** {@link #writeString} with I/O errors unchecked, naming the file. */
  public static void writeStringUnchecked(Path target, String content) {
    try {
      writeString(target, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Renames {@code from} onto {@code to} (replacing it) atomically where the file system can. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes {@code path} and everything below it; nothing happens when it does not exist. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (Stream<Path> s = Files.walk(path)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** {@link #deleteTree}, ignoring failures (for scratch folders, where a leftover is harmless). */
  public static void deleteQuietly(Path path) {
    if (path == null) return;
    try {
      deleteTree(path);
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }
}
