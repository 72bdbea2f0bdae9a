package org.rlhf4j.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
  @TempDir Path tmp;

  @Test void validUtf8IsReadAsIs() throws Exception {
    Path f = tmp.resolve("ok.txt");
    Files.writeString(f, "caf\u00e9 \u20ac \uD83D\uDE00\nline two\n", StandardCharsets.UTF_8);
    assertThat(TextFiles.readUtf8(f)).isEqualTo("caf\u00e9 \u20ac \uD83D\uDE00\nline two\n");
  }

  @Test void latin1IsRefusedWithFileLineAndOffset() throws Exception {
    Path f = tmp.resolve("latin1.txt");
    Files.write(f, "first line\nsecond\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> TextFiles.readUtf8(f)).isInstanceOf(TextFiles.NotUtf8Exception.class)
        .hasMessageStartingWith(f + ":3: not valid UTF-8 (byte offset 21)")
        .satisfies(e -> assertThat(((TextFiles.NotUtf8Exception) e).line()).isEqualTo(3));
  }

  @Test void truncatedSequenceOverlongFormAndSurrogateAreRefused() {
    assertThatThrownBy(() -> TextFiles.decode(new byte[] {'a', (byte) 0xe2, (byte) 0x82}, "x")).hasMessageStartingWith("x:1:")
        .hasMessageContaining("offset 1");
    assertThatThrownBy(() -> TextFiles.decode(new byte[] {'\n', (byte) 0xc0, (byte) 0xaf}, "x")).hasMessageStartingWith("x:2:");
    assertThatThrownBy(() -> TextFiles.decode(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "x")).hasMessageContaining("offset 0");
  }
}
