package org.rlhf4j.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {
  private final World world = new World(7);

  @Test
  void huggingFaceTokenizerEncodesAndDecodesWorldText(@TempDir Path dir) throws Exception {
    List<String> vocab = world.vocabulary();
    TokenizerFiles.write(dir, vocab);
    String doc = world.corpus(1, new SplittableRandom(31)).get(0);
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir)) {
      Encoding enc = tok.encode(doc);
      List<Long> expected = new ArrayList<>(List.of(1L));  // <bos>
      for (String w : doc.split(" ")) expected.add((long) vocab.indexOf(w));
      assertThat(Arrays.stream(enc.getIds()).boxed().toList()).isEqualTo(expected);
      assertThat(tok.decode(enc.getIds(), true)).isEqualTo(doc);
      long[] unknown = tok.encode("the zebra is blue .").getIds();
      assertThat(unknown[2]).isEqualTo(3L);  // <unk>
      assertThat(tok.decode(new long[] {4, 10, 2}, false)).isEqualTo("user: " + vocab.get(10) + " <eos>");
    }
  }

  @Test
  void configNamesSpecialTokensAndTheChatTemplateMatchesTheCorpus(@TempDir Path dir) throws Exception {
    TokenizerFiles.write(dir, world.vocabulary());
    JsonNode config = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
    assertThat(config.get("bos_token").asText()).isEqualTo("<bos>");
    assertThat(config.get("eos_token").asText()).isEqualTo("<eos>");
    assertThat(config.get("pad_token").asText()).isEqualTo("<pad>");
    assertThat(config.get("unk_token").asText()).isEqualTo("<unk>");
    String template = config.get("chat_template").asText();
    Jinjava jinja = new Jinjava();
    List<Map<String, String>> chat = List.of(
        Map.of("role", "user", "content", "what is 3 plus 4 ?"),
        Map.of("role", "assistant", "content", "the answer is 7 ."));
    Map<String, Object> vars = Map.of("messages", chat, "bos_token", "<bos>", "eos_token", "<eos>",
        "add_generation_prompt", false);
    assertThat(jinja.render(template, vars))
        .isEqualTo("<bos> " + World.document("what is 3 plus 4 ?", "the answer is 7 .") + " <eos>");
    Map<String, Object> prompt = Map.of("messages", chat.subList(0, 1), "bos_token", "<bos>", "eos_token", "<eos>",
        "add_generation_prompt", true);
    assertThat(jinja.render(template, prompt)).isEqualTo("<bos> user: what is 3 plus 4 ? assistant:");
  }

  @Test
  void projectTokenizerLoadsTheFilesAndChatIdsMatchCorpusIds(@TempDir Path dir) {
    TokenizerFiles.write(dir, world.vocabulary());
    try (Tokenizer tok = Tokenizer.load(dir)) {
      assertThat(tok.vocabSize()).isEqualTo(world.vocabulary().size());
      assertThat(tok.addsBos()).isTrue();
      assertThat(tok.padIsReal()).isTrue();
      assertThat(tok.padId()).isZero();
      assertThat(tok.stopIds()).containsExactly(2);
      String doc = World.document("what is 3 plus 4 ?", "the answer is 7 .");
      int[] corpusIds = tok.encode(doc, true);
      String chat = tok.chatTemplate().orElseThrow().render(List.of(
          Map.of("role", "user", "content", "what is 3 plus 4 ?"),
          Map.of("role", "assistant", "content", "the answer is 7 .")), false);
      int[] chatIds = tok.encode(chat, false);
      assertThat(Arrays.copyOf(chatIds, chatIds.length - 1)).isEqualTo(corpusIds);
      assertThat(chatIds[chatIds.length - 1]).isEqualTo(2);
      assertThat(tok.decode(corpusIds, true)).isEqualTo(doc);
    }
  }

  @Test
  void badVocabulariesAreRejectedByName(@TempDir Path dir) {
    assertThatThrownBy(() -> TokenizerFiles.write(dir, List.of("<pad>", "<bos>", "<eos>", "a")))
        .hasMessageContaining("<unk>");
    assertThatThrownBy(() -> TokenizerFiles.write(dir, List.of("<pad>", "<bos>", "<eos>", "<unk>", "a", "a")))
        .hasMessageContaining("token 5 is a duplicate");
    assertThatThrownBy(() -> TokenizerFiles.write(dir, List.of("<pad>", "<bos>", "<eos>", "<unk>", "a b")))
        .hasMessageContaining("whitespace");
    assertThat(dir.resolve("tokenizer.json")).doesNotExist();
  }
}
