package org.rlhf4j.data.format;

import java.nio.file.Path;

/**
 * A data file that cannot be read as the expected records. The message names the file and, where it
 * applies, the 1-based line of the offending record ({@code line()} is 0 when no line applies).
 */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long line;

  public DataFormatException(Path file, long line, String problem) {
    this(file, line, problem, null);
  }

  public DataFormatException(Path file, long line, String problem, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  /** The file being read. */
  public Path file() { return file; }

  /** 1-based line of the offending record, or 0 when the problem is not tied to a line. */
  public long line() { return line; }
}
