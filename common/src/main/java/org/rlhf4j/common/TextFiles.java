package org.rlhf4j.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strict UTF-8 text: input that is not valid UTF-8 is refused with the file and line of the first bad byte, never
 * read as replacement characters (U+FFFD) without a word.
 */
public final class TextFiles {
  private TextFiles() {}

  /** Invalid UTF-8 in a file: names the file, the line (1-based) and the byte offset. */
  public static final class NotUtf8Exception extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final long line;

    NotUtf8Exception(String where, long line, long offset) {
      super(where + ":" + line + ": not valid UTF-8 (byte offset " + offset + "); convert the file to UTF-8, e.g. "
          + "iconv -f latin1 -t utf-8");
      this.line = line;
    }

    public long line() { return line; }
  }

  /** The whole file as UTF-8 text. */
  public static String readUtf8(Path file) {
    try {
      return decode(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code bytes} (from {@code where}, for the message) decoded as strict UTF-8. */
  public static String decode(byte[] bytes, String where) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      CharBuffer out = d.decode(in);
      return out.toString();
    } catch (CharacterCodingException e) {
      int bad = firstInvalid(bytes);
      long line = 1;
      for (int i = 0; i < bad; i++) if (bytes[i] == '\n') line++;
      throw new NotUtf8Exception(where, line, bad);
    }
  }

  /** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
  private static int firstInvalid(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff, n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
      if (n < 0) return i;
      for (int k = 1; k <= n; k++) {
        if (i + k >= b.length || (b[i + k] & 0xc0) != 0x80) return i;
      }
      if (n > 0 && !validLead(b, i, n)) return i;
      i += n + 1;
    }
    return b.length;
  }

  /** Overlong three/four-byte forms, surrogates and code points past U+10FFFF are invalid. */
  private static boolean validLead(byte[] b, int i, int n) {
    int c0 = b[i] & 0xff, c1 = b[i + 1] & 0xff;
    if (n == 2) return !(c0 == 0xe0 && c1 < 0xa0) && !(c0 == 0xed && c1 >= 0xa0);
    if (n == 3) return !(c0 == 0xf0 && c1 < 0x90) && !(c0 == 0xf4 && c1 >= 0x90);
    return true;
  }
}
