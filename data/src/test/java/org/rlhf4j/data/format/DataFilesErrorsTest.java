package org.rlhf4j.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.UnpairedExample;

/** Malformed input, gzip, and round trips. */
class DataFilesErrorsTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static final String OK = "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}";

  @Test
  void invalidJsonNamesFileAndLine() throws IOException {
    Path f = file("bad.jsonl", "\n" + OK + "\n\n" + OK + "\n{\"prompt\":\"p\",\"chosen\":\n" + OK + "\n");
    DataFormatException e = catchThrowableOfType(() -> DataFiles.readPreferences(f), DataFormatException.class);
    assertThat(e.file()).isEqualTo(f);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e).hasMessageStartingWith(f + ":5: invalid JSON");
  }

  @Test
  void recordsThatDoNotFitTheLayoutOrRecordRulesFail() throws IOException {
    Path mixed = file("mixed.jsonl", OK + "\n{\"chosen\":\"a b\",\"rejected\":\"a c\"}\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(mixed)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("mixed.jsonl:2:").hasMessageContaining("detected from line 1");
    Path role = file("role.jsonl", "{\"prompt\":[{\"role\":\"robot\",\"content\":\"x\"}],\"chosen\":\"a\",\"rejected\":\"b\"}\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(role)).hasMessageContaining("role.jsonl:1:")
        .hasMessageContaining("prompt[0]").hasMessageContaining("'robot'");
    Path unknown = file("unknown.jsonl", "{\"question\":\"q\",\"answer\":\"a\"}\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(unknown)).hasMessageContaining("not a known preference layout")
        .hasMessageContaining("[question, answer]");
    Path notObject = file("array-line.jsonl", OK + "\n[1,2]\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(notObject)).hasMessageContaining(":2: expected a JSON object");
    Path trailing = file("trailing.jsonl", OK + " {}\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(trailing)).hasMessageContaining(":1: invalid JSON");
    Path wrongType = file("type.jsonl", "{\"prompt\":3,\"chosen\":\"a\",\"rejected\":\"b\"}\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(wrongType)).hasMessageContaining("'prompt' must be a string or a list");
  }

  @Test
  void jsonArrayErrorsNameTheElementLine() throws IOException {
    Path f = file("arr.json", "[\n" + OK + ",\n" + OK + ",\n{\"prompt\":\"p\",\"chosen\":\"a\"}\n]\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(f)).hasMessageContaining("arr.json:4:");
    Path broken = file("broken.json", "\n[\n" + OK + ",\n" + OK + "\n");
    assertThatThrownBy(() -> DataFiles.readPreferences(broken)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("broken.json:");
    Path extra = file("extra.json", "[" + OK + "] {}");
    assertThatThrownBy(() -> DataFiles.readPreferences(extra)).hasMessageContaining("after the JSON array");
  }

  @Test
  void missingFileNamesThePath() {
    Path missing = dir.resolve("nope.jsonl");
    assertThatThrownBy(() -> DataFiles.readPreferences(missing)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void gzipRoundTripIsTransparent() throws IOException {
    List<PreferencePair> pairs = List.of(PreferencePair.of(Content.text("p"), Content.text("a"), Content.text("b")));
    Path gz = dir.resolve("pairs.jsonl.gz");
    DataFiles.writePreferences(gz, pairs);
    try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(OK + "\n");
    }
    assertThat(DataFiles.readPreferences(gz)).isEqualTo(pairs);
    Path renamed = dir.resolve("pairs-without-suffix.jsonl"); // detection is by content, not name
    Files.copy(gz, renamed);
    assertThat(DataFiles.readPreferences(renamed)).isEqualTo(pairs);
  }

  @Test
  void preferencesRoundTripIncludingChatsSoftLabelsAndUnicode() {
    Chat prompt = Chat.of(Message.system("Be kind."), Message.user("Héllo \"quoted\"\nnewline ✓"));
    List<PreferencePair> pairs = List.of(
        new PreferencePair(prompt, Chat.of(Message.assistant("yes")), Chat.of(Message.assistant("")), 0.6),
        PreferencePair.of(Content.text(""), Content.text("a"), Content.text("b")));
    Path f = dir.resolve("out/pairs.jsonl");
    DataFiles.writePreferences(f, pairs);
    assertThat(DataFiles.readPreferences(f)).isEqualTo(pairs);
  }

  @Test
  void otherWritersRoundTrip() {
    Chat q = Chat.of(Message.user("q"));
    List<PromptCompletion> pcs = List.of(new PromptCompletion(q, Chat.of(Message.assistant("a"))),
        new PromptCompletion(Content.text("x"), Content.text("y")));
    Path pc = dir.resolve("pc.jsonl");
    DataFiles.writePromptCompletions(pc, pcs);
    assertThat(DataFiles.readPromptCompletions(pc)).isEqualTo(pcs);

    List<Ranking> ranks = List.of(new Ranking(q, List.of(Content.text("1"), Content.text("2"), Content.text("3"))));
    Path rk = dir.resolve("rank.jsonl.gz");
    DataFiles.writeRankings(rk, ranks);
    assertThat(DataFiles.readRankings(rk)).isEqualTo(ranks);

    List<UnpairedExample> un = List.of(new UnpairedExample(q, Content.text("a"), true),
        new UnpairedExample(Content.text("p"), Content.text("b"), false));
    Path u = dir.resolve("unpaired.jsonl");
    DataFiles.writeUnpaired(u, un);
    assertThat(DataFiles.readUnpaired(u)).isEqualTo(un);
  }

  @Test
  void failedWriteLeavesTheExistingFileIntact() throws IOException {
    Path f = file("keep.jsonl", OK + "\n");
    List<PreferencePair> withNull = new ArrayList<>(Arrays.asList(
        PreferencePair.of(Content.text("x"), Content.text("y"), Content.text("z")), null));
    assertThatThrownBy(() -> DataFiles.writePreferences(f, withNull)).isInstanceOf(NullPointerException.class);
    assertThat(Files.readString(f)).isEqualTo(OK + "\n");
    try (var files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("keep.jsonl");
    }
  }
}
