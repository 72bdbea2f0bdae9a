package org.rlhf4j.data.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.ResponsePair;
import org.rlhf4j.data.UnpairedExample;

/** Each accepted layout, on tiny files written here. */
class DataFilesLayoutTest {
  @TempDir Path dir;

  private Path file(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return p;
  }

  private static Chat user(String s) { return Chat.of(Message.user(s)); }
  private static Chat assistant(String s) { return Chat.of(Message.assistant(s)); }

  @Test
  void trlExplicitPromptStandardAndConversational() throws IOException {
    Path std = file("std.jsonl", "{\"prompt\":\"2+2=\",\"chosen\":\"4\",\"rejected\":\"5\"}");
    assertThat(DataFiles.readPreferences(std)).containsExactly(
        PreferencePair.of(Content.text("2+2="), Content.text("4"), Content.text("5")));
    Path conv = file("conv.jsonl", "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"hello\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"go\"}]}");
    assertThat(DataFiles.readPreferences(conv)).containsExactly(
        PreferencePair.of(user("hi"), assistant("hello"), assistant("go")));
  }

  @Test
  void trlImplicitPromptSplitsTheSharedPrefix() throws IOException {
    Path conv = file("implicit.jsonl", "{\"chosen\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"good\"}],"
        + "\"rejected\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"bad\"}]}");
    assertThat(DataFiles.readPreferences(conv)).containsExactly(PreferencePair.of(user("q"), assistant("good"), assistant("bad")));
    Path text = file("implicit-text.jsonl", "{\"chosen\":\"The sky is blue.\",\"rejected\":\"The sky is bleak.\"}");
    assertThat(DataFiles.readPreferences(text)).containsExactly(
        PreferencePair.of(Content.text("The sky is "), Content.text("blue."), Content.text("bleak.")));
  }

  @Test
  void anthropicHhTranscriptsBecomeChats() throws IOException {
    String prefix = "\\n\\nHuman: Hi there\\n\\nAssistant: Hello.\\n\\nHuman: Help me?";
    Path hh = file("hh.jsonl", "{\"chosen\":\"" + prefix + "\\n\\nAssistant: Sure.\",\"rejected\":\"" + prefix + "\\n\\nAssistant: No.\"}");
    PreferencePair p = DataFiles.readPreferences(hh).get(0);
    assertThat(p.prompt()).isEqualTo(Chat.of(Message.user("Hi there"), Message.assistant("Hello."), Message.user("Help me?")));
    assertThat(p.chosen()).isEqualTo(assistant("Sure."));
    assertThat(p.rejected()).isEqualTo(assistant("No."));
  }

  @Test
  void shareGptPairsWithSystemPromptInAJsonArray() throws IOException {
    Path f = file("sharegpt.json", "[", "  {\"system\": \"Be brief.\",",
        "   \"conversations\": [{\"from\": \"human\", \"value\": \"q\"}],",
        "   \"chosen\": {\"from\": \"gpt\", \"value\": \"a\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"b\"}}", "]");
    assertThat(DataFiles.readPreferences(f)).containsExactly(PreferencePair.of(
        Chat.of(Message.system("Be brief."), Message.user("q")), assistant("a"), assistant("b")));
  }

  @Test
  void softLabelsFromProbabilityOrVotes() throws IOException {
    Path f = file("soft.jsonl",
        "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"chosen_probability\":0.7}",
        "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"votes\":{\"chosen\":3,\"rejected\":1}}");
    assertThat(DataFiles.readPreferences(f)).extracting(PreferencePair::chosenProbability).containsExactly(0.7, 0.75);
    Path both = file("both.jsonl", "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"chosen_probability\":1,\"votes\":{\"chosen\":1,\"rejected\":0}}");
    assertThatThrownBy(() -> DataFiles.readPreferences(both)).hasMessageContaining("not both");
    Path none = file("none.jsonl", "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"votes\":{\"chosen\":0,\"rejected\":0}}");
    assertThatThrownBy(() -> DataFiles.readPreferences(none)).hasMessageContaining("no votes");
    Path out = file("range.jsonl", "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\",\"chosen_probability\":1.5}");
    assertThatThrownBy(() -> DataFiles.readPreferences(out)).hasMessageContaining("[0, 1]");
  }

  @Test
  void rankingsBestFirstOrByIndexAndAsPairs() throws IOException {
    Path f = file("rank.jsonl",
        "{\"prompt\":\"p\",\"responses\":[\"best\",\"mid\",\"worst\"]}",
        "{\"prompt\":\"p\",\"responses\":[\"x\",\"y\",\"z\"],\"ranking\":[2,0,1]}");
    List<Ranking> r = DataFiles.readRankings(f);
    assertThat(r.get(0).bestFirst()).extracting(Content::display).containsExactly("best", "mid", "worst");
    assertThat(r.get(1).bestFirst()).extracting(Content::display).containsExactly("z", "x", "y");
    assertThat(DataFiles.readPreferences(f)).hasSize(6).first()
        .isEqualTo(PreferencePair.of(Content.text("p"), Content.text("best"), Content.text("mid")));
    Path bad = file("badrank.jsonl", "{\"prompt\":\"p\",\"responses\":[\"x\",\"y\"],\"ranking\":[0,0]}");
    assertThatThrownBy(() -> DataFiles.readRankings(bad)).hasMessageContaining("permutation").hasMessageContaining(":1:");
  }

  @Test
  void promptCompletionLayouts() throws IOException {
    assertThat(DataFiles.readPromptCompletions(file("pc.jsonl", "{\"prompt\":\"Q\",\"completion\":\"A\"}")))
        .containsExactly(new PromptCompletion(Content.text("Q"), Content.text("A")));
    assertThat(DataFiles.readPromptCompletions(file("m.jsonl", "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
        + "{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}")))
        .containsExactly(new PromptCompletion(Chat.of(Message.system("s"), Message.user("q")), assistant("a")));
    assertThat(DataFiles.readPromptCompletions(file("c.jsonl", "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
        + "{\"from\":\"gpt\",\"value\":\"a\"}]}")))
        .containsExactly(new PromptCompletion(user("q"), assistant("a")));
    assertThat(DataFiles.readPromptCompletions(file("t.jsonl", "{\"text\":\"once upon\"}")))
        .containsExactly(new PromptCompletion(Content.text(""), Content.text("once upon")));
    Path noAnswer = file("na.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    assertThatThrownBy(() -> DataFiles.readPromptCompletions(noAnswer)).hasMessageContaining("must end with an assistant message");
  }

  @Test
  void unpairedLayouts() throws IOException {
    assertThat(DataFiles.readUnpaired(file("u.jsonl", "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":false}")))
        .containsExactly(new UnpairedExample(Content.text("q"), Content.text("a"), false));
    assertThat(DataFiles.readUnpaired(file("k.jsonl", "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
        + "{\"from\":\"gpt\",\"value\":\"a\"}],\"kto_tag\":true}")))
        .containsExactly(new UnpairedExample(user("q"), assistant("a"), true));
    Path badLabel = file("bl.jsonl", "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":true}",
        "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":\"yes\"}");
    assertThatThrownBy(() -> DataFiles.readUnpaired(badLabel))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("bl.jsonl:2:").hasMessageContaining("'label'");
  }

  /** Issue 11, item 19: supervised data never silently takes undesirable (label false) completions as targets. */
  @Test
  void promptCompletionsRefuseUnpairedRows() throws IOException {
    Path kto = file("kto.jsonl", "{\"prompt\":\"q\",\"completion\":\"a\"}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"bad\"}],\"label\":false}");
    assertThatThrownBy(() -> DataFiles.readPromptCompletions(kto)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("kto.jsonl:2:").hasMessageContaining("unpaired (KTO-style)").hasMessageContaining("\"label\"");
    assertThat(DataFiles.isUnpaired(kto)).isFalse();
    assertThat(DataFiles.isUnpaired(file("u2.jsonl", "{\"prompt\":\"q\",\"completion\":\"a\",\"label\":true}"))).isTrue();
  }

  @Test
  void emptyFileIsEmpty() throws IOException {
    assertThat(DataFiles.readPreferences(file("empty.jsonl", "", "  "))).isEmpty();
  }

  @Test
  void unlabelledPairsAndPromptFiles() throws IOException {
    Path pairs = file("pairs.jsonl", "{\"prompt\":\"2+2=\",\"response_a\":\"4\",\"response_b\":\"5\",\"id\":7}",
        "{\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_a\":\"hello\",\"response_b\":\"go\"}");
    assertThat(DataFiles.readResponsePairs(pairs)).containsExactly(
        new ResponsePair(Content.text("2+2="), Content.text("4"), Content.text("5")),
        new ResponsePair(user("hi"), Content.text("hello"), Content.text("go")));
    assertThatThrownBy(() -> DataFiles.readResponsePairs(file("bad.jsonl", "{\"prompt\":\"p\",\"response_a\":\"a\"}")))
        .isInstanceOf(DataFormatException.class).hasMessageContaining(":1").hasMessageContaining("response_a");
    // Any record with a prompt is a prompt (a preference file, an SFT file, or prompts alone).
    Path prompts = file("prompts.jsonl", "{\"prompt\":\"a\"}", "{\"prompt\":\"b\",\"completion\":\"c\"}");
    assertThat(DataFiles.readPrompts(prompts)).containsExactly(Content.text("a"), Content.text("b"));
  }

  @Test
  void toJsonRecordsReadBack() throws IOException {
    PreferencePair soft = new PreferencePair(user("q"), assistant("good"), assistant("bad"), 0.75);
    com.fasterxml.jackson.databind.node.ObjectNode o = DataFiles.toJson(soft).put("extra", "ignored by readers");
    Path f = file("soft.jsonl", o.toString());
    assertThat(DataFiles.readPreferences(f)).containsExactly(soft);
    PromptCompletion pc = new PromptCompletion(Content.text("p"), Content.text("c"));
    assertThat(DataFiles.readPromptCompletions(file("pc.jsonl", DataFiles.toJson(pc).toString()))).containsExactly(pc);
  }
}
