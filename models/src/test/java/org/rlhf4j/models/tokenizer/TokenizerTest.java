package org.rlhf4j.models.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

class TokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
    return out;
  }

  @Test void gpt2MatchesReferenceVectors() throws IOException {
    Path dir = Shared.require("data/gpt2-tokenizer");
    JsonNode cases = JSON.readTree(dir.resolve("test_vectors.json").toFile()).get("cases");
    assertThat(cases.size()).isEqualTo(7);
    try (Tokenizer tok = Tokenizer.load(dir)) {
      for (JsonNode c : cases) {
        int[] ids = tok.encode(c.get("text").asText(), true);
        assertThat(ids).as(c.get("name").asText()).containsExactly(ints(c.get("ids")));
        assertThat(tok.decode(ids, false)).as("round trip " + c.get("name").asText()).isEqualTo(c.get("text").asText());
      }
      assertThat(tok.vocabSize()).isEqualTo(50257);
      assertThat(tok.addsBos()).isFalse();
      assertThat(tok.eosId()).hasValue(50256);
      assertThat(tok.bosId()).hasValue(50256);
      assertThat(tok.stopIds()).containsExactly(50256);
      assertThat(tok.padIsReal()).isFalse();
      assertThat(tok.padId()).isEqualTo(50256);
      assertThat(tok.tokenToId("<|endoftext|>")).hasValue(50256);
      assertThat(tok.idToToken(1212)).isEqualTo("This");
      assertThat(tok.chatTemplate()).isEmpty();
    }
  }

  @Test void gpt2BatchEqualsSingleEncodes() {
    try (Tokenizer tok = Tokenizer.load(Shared.require("data/gpt2-tokenizer"))) {
      List<String> texts = List.of("This is some text", "", "indivisible");
      int[][] batch = tok.encodeBatch(texts, true);
      assertThat(batch).hasNumberOfRows(3);
      for (int i = 0; i < texts.size(); i++) assertThat(batch[i]).containsExactly(tok.encode(texts.get(i), true));
    }
  }

  @Test void stories260KTextCase() throws IOException {
    Path dir = Shared.require("fixtures/stories260K");
    JsonNode tc = JSON.readTree(dir.resolve("expected.json").toFile()).get("text_case");
    try (Tokenizer tok = Tokenizer.load(dir)) {
      String prompt = tc.get("prompt_text").asText();
      assertThat(tok.encode(prompt, true)).containsExactly(ints(tc.get("prompt_ids")));
      assertThat(tok.encode(prompt, false)).containsExactly(ints(tc.get("prompt_ids_without_bos")));
      int[] greedy = ints(tc.get("greedy_ids"));
      assertThat(tok.decode(greedy, true)).isEqualTo(tc.get("greedy_text").asText());
      int[] prompt_ids = ints(tc.get("prompt_ids"));
      int[] all = new int[prompt_ids.length + greedy.length];
      System.arraycopy(prompt_ids, 0, all, 0, prompt_ids.length);
      System.arraycopy(greedy, 0, all, prompt_ids.length, greedy.length);
      assertThat(tok.decode(all, true)).isEqualTo(tc.get("full_text").asText());
      assertThat(tok.decode(all, false)).startsWith("<s>");
    }
  }

  @Test void llamaStyleTokenizerHasNoPadToken() {
    try (Tokenizer tok = Tokenizer.load(Shared.require("fixtures/stories260K"))) {
      assertThat(tok.vocabSize()).isEqualTo(512);
      assertThat(tok.addsBos()).isTrue();
      assertThat(tok.bosId()).hasValue(1);
      assertThat(tok.eosId()).hasValue(2);
      assertThat(tok.padIsReal()).isFalse();
      assertThat(tok.padId()).isEqualTo(2);
      assertThat(tok.stopIds()).containsExactly(2);
      assertThat(tok.idToToken(0)).isEqualTo("<unk>");
      assertThat(tok.tokenToId("no-such-token")).isEmpty();
      assertThatThrownBy(() -> tok.idToToken(512)).hasMessageContaining("512");
      assertThatThrownBy(() -> tok.decode(new int[] {1, 999}, true)).hasMessageContaining("999");
    }
  }

  @Test void longTextIsNotTruncated() {
    String text = "Once upon a time there was a cat. ".repeat(200);
    try (Tokenizer tok = Tokenizer.load(Shared.require("fixtures/stories260K"))) {
      int[] ids = tok.encode(text, true);
      assertThat(ids.length).isGreaterThan(1500);
      assertThat(tok.decode(ids, true)).isEqualTo(text);
      assertThat(tok.encodeBatch(List.of(text, "a"), true)[0]).containsExactly(ids);
    }
    try (Tokenizer tok = Tokenizer.load(Shared.require("data/gpt2-tokenizer"))) {
      int[] ids = tok.encode(text, false);
      // 9 tokens per sentence ("Once"/" Once", " upon", " a", " time", " there", " was", " a", " cat", ".") + the final " "
      assertThat(ids.length).isEqualTo(9 * 200 + 1);
      assertThat(tok.decode(ids, false)).isEqualTo(text);
    }
  }

  @Test void folderConfigGivesPadStopIdsAndChatTemplate(@TempDir Path dir) throws IOException {
    Files.copy(Shared.require("fixtures/stories260K/tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("tokenizer_config.json"), """
        {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>", "pad_token": "<unk>",
         "chat_template": [{"name": "tool_use", "template": "x"},
                           {"name": "default", "template": "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{{ eos_token }}{% endfor %}"}]}
        """);
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [2, 7]}");
    try (Tokenizer tok = Tokenizer.load(dir)) {
      assertThat(tok.padIsReal()).isTrue();
      assertThat(tok.padId()).isEqualTo(0);
      assertThat(tok.bosId()).hasValue(1);
      assertThat(tok.stopIds()).containsExactly(2, 7);
      assertThat(tok.chatTemplate()).isPresent();
      assertThat(tok.chatTemplate().get().render(List.of(Map.of("role", "user", "content", "hi")), false))
          .isEqualTo("<s>hi</s>");
    }
  }

  @Test void missingOrBadFilesAreNamed(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Tokenizer.load(dir)).hasMessageContaining("tokenizer.json").hasMessageContaining("missing");
    Files.copy(Shared.require("fixtures/stories260K/tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\n\"bos_token\": ,\n}");
    assertThatThrownBy(() -> Tokenizer.load(dir)).hasMessageContaining("tokenizer_config.json").hasMessageContaining("line 2");
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": 5}");
    assertThatThrownBy(() -> Tokenizer.load(dir)).hasMessageContaining("eos_token");
    Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"x\"}");
    assertThatThrownBy(() -> Tokenizer.load(dir)).hasMessageContaining("generation_config.json");
  }

  @Test void paddingAndTruncationInTokenizerJsonAreIgnoredButNameThePad(@TempDir Path dir) throws IOException {
    // all-MiniLM-L6-v2's tokenizer.json pads to a fixed 128 and truncates at 128; its pad token is [PAD] (0).
    try (var in = TokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
    }
    try (Tokenizer tok = Tokenizer.load(dir)) {
      assertThat(tok.encode("Hello!", true)).containsExactly(101, 7592, 999, 102);
      assertThat(tok.encode("word ".repeat(300), true)).hasSize(302);
      assertThat(tok.padIsReal()).isTrue();
      assertThat(tok.padId()).isEqualTo(0);
      assertThat(tok.addsBos()).isFalse();
      assertThat(tok.decode(new int[] {101, 7592, 999, 102}, true)).isEqualTo("hello!");
    }
  }

  @Test void cleanUpTokenizationMatchesTransformers() {
    assertThat(Tokenizer.cleanUpTokenization("Hello , world ! I 'm sure it 's fine .")).isEqualTo("Hello, world! I'm sure it's fine.");
  }
}
