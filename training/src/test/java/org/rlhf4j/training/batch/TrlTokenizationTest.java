package org.rlhf4j.training.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.Content;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * Issue 11, item 17: plain-text prompt/completion pairs tokenise as TRL's DPOTrainer and SFTTrainer do (the
 * prompt alone, then prompt + completion as one text split after the prompt's tokens, EOS appended). The expected
 * ids are TRL's own, made by src/test/python/make_trl_tokenization.py with real transformers and trl.
 */
class TrlTokenizationTest {
  static JsonNode expected() throws Exception {
    try (InputStream in = TrlTokenizationTest.class.getResourceAsStream("/trl/tokenization.json")) {
      assertThat(in).as("test resource trl/tokenization.json").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  static int[] ints(JsonNode a) { return IntStream.range(0, a.size()).map(i -> a.get(i).asInt()).toArray(); }

  @Test void dpoPairsTokeniseAsTrl() throws Exception {
    JsonNode e = expected();
    try (Tokenizer tok = Tiny.tokenizer()) {
      Encoder enc = new Encoder(tok);
      for (int i = 0; i < e.get("cases").size(); i++) {
        JsonNode c = e.get("cases").get(i), trl = e.get("dpo").get(i);
        Sequence chosen = enc.encode(Content.text(c.get("prompt").asText()), Content.text(c.get("chosen").asText()));
        Sequence rejected = enc.encode(Content.text(c.get("prompt").asText()), Content.text(c.get("rejected").asText()));
        assertThat(chosen.prompt()).as("case %d prompt_ids", i).isEqualTo(ints(trl.get("prompt_ids")));
        assertThat(chosen.completion()).as("case %d chosen_ids", i).isEqualTo(ints(trl.get("chosen_ids")));
        assertThat(rejected.completion()).as("case %d rejected_ids", i).isEqualTo(ints(trl.get("rejected_ids")));
      }
    }
  }

  /** Case 4's prompt ends in a space: SFT's row is the joined text's tokens, DPO's the prompt's then the rest. */
  @Test void sftExamplesTokeniseAsTrl() throws Exception {
    JsonNode e = expected();
    try (Tokenizer tok = Tiny.tokenizer()) {
      Encoder enc = new Encoder(tok);
      for (int i = 0; i < e.get("cases").size(); i++) {
        JsonNode c = e.get("cases").get(i), trl = e.get("sft").get(i);
        Sequence s = enc.encodeSft(Content.text(c.get("prompt").asText()), Content.text(c.get("chosen").asText()));
        Row row = s.toRow();
        assertThat(row.ids()).as("case %d input_ids", i).isEqualTo(ints(trl.get("input_ids")));
        // TRL's completion_mask: 0 over as many tokens as the prompt alone has (DPO's prompt_ids), 1 after
        int promptLen = e.get("dpo").get(i).get("prompt_ids").size();
        int[] mask = new int[row.ids().length];
        java.util.Arrays.fill(mask, promptLen, mask.length, 1);
        assertThat(row.lossMask()).as("case %d completion_mask", i).isEqualTo(mask);
        if (i == 4) { // the case where TRL's two trainers differ: DPO's row is the prompt's ids then the rest
          assertThat(enc.encode(Content.text(c.get("prompt").asText()), Content.text(c.get("chosen").asText())).toRow().ids())
              .as("case 4: DPO's join").isNotEqualTo(row.ids());
        }
      }
    }
  }
}
