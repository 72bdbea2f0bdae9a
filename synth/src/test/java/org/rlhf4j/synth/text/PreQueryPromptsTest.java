package org.rlhf4j.synth.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.testkit.Shared;

class PreQueryPromptsTest {
  /** The demo world's template (TokenizerFiles.CHAT_TEMPLATE). */
  static final String DEMO = "{{ bos_token }}{% for message in messages %}{{ ' ' + message['role'] + ': ' + message['content'] }}"
      + "{% if message['role'] == 'assistant' %}{{ ' ' + eos_token }}{% endif %}{% endfor %}"
      + "{% if add_generation_prompt %}{{ ' assistant:' }}{% endif %}";

  @Test void theFrameIsWhatTheTemplateWritesAroundTheUsersMessage() {
    PreQueryPrompts.Frame chatMl = PreQueryPrompts.Frame.of(ChatTemplate.chatMl());
    assertThat(chatMl.before()).isEqualTo("<|im_start|>user\n");
    assertThat(chatMl.after()).isEqualTo("<|im_end|>\n<|im_start|>assistant");
    PreQueryPrompts.Frame demo = PreQueryPrompts.Frame.of(ChatTemplate.of(DEMO, "<s>", "</s>"));
    assertThat(demo.before()).isEqualTo("<s> user: ");
    assertThat(demo.after()).isEqualTo("assistant:");
  }

  @Test void theQueryEndsWhereTheAssistantsTurnBegins() {
    PreQueryPrompts.Frame demo = PreQueryPrompts.Frame.of(ChatTemplate.of(DEMO, "<s>", "</s>"));
    assertThat(demo.query(" name a fruit assistant: an apple", true)).isEqualTo("name a fruit");
    assertThat(demo.query(" name a fruit assistant:", false)).isEqualTo("name a fruit");
    assertThat(demo.query(" name a fruit", true)).isEqualTo("name a fruit"); // stopped by EOS: the turn ended
    assertThat(demo.query(" name a fruit and", false)).isNull(); // ran out of tokens mid-turn
  }

  @Test void aRowStoppedAtTheAssistantsTurnLosesThatToken() {
    try (Tokenizer tok = Tokenizer.load(Shared.require("fixtures/stories260K"))) {
      PreQueryPrompts.Frame chatMl = PreQueryPrompts.Frame.of(ChatTemplate.chatMl());
      int afterStart = PreQueryPrompts.afterStart(tok, chatMl.after());
      assertThat(tok.decode(new int[] {afterStart}, false)).isNotBlank(); // not SentencePiece's lone word boundary
      int[] query = tok.encode("the cat sat", false);
      long[] out = new long[query.length + 1];
      for (int i = 0; i < query.length; i++) out[i] = query[i];
      out[query.length] = afterStart;
      String plain = tok.decode(query, true).strip();
      assertThat(PreQueryPrompts.candidate(chatMl, tok, out, true, afterStart)).isEqualTo(plain);
      // the same row cut by max_new_tokens (not stopped) never ended its turn
      assertThat(PreQueryPrompts.candidate(chatMl, tok, java.util.Arrays.copyOf(out, query.length), false, afterStart)).isNull();
    }
  }

  @Test void acceptedPromptsPassEveryFilterAndEveryCandidateIsCounted() {
    var dir = Shared.require("fixtures/stories260K");
    try (Tokenizer tok = Tokenizer.load(dir)) {
      CausalLM lm = CausalLM.load(dir);
      PreQueryPrompts.Config c = new PreQueryPrompts.Config(10, 3, 8, 24, 1.0, 1, 2, 30, 0.5);
      PreQueryPrompts.Result r = PreQueryPrompts.generate(lm, tok, c);
      assertThat(r.generated()).isPositive();
      if (r.prompts().size() < 10) assertThat(r.generated()).isEqualTo(3 * 8); // every round ran: the target was not met
      assertThat(r.prompts().size() + r.unfinished() + r.rejectedLength() + r.rejectedNgram()).isEqualTo(r.generated());
      NgramDedup check = new NgramDedup(2, 0.5);
      for (String p : r.prompts()) {
        assertThat(p.split("\\s+").length).isBetween(2, 30);
        assertThat(check.add(p)).as("no near-duplicate: " + p).isTrue();
      }
      assertThat(PreQueryPrompts.generate(lm, tok, c)).isEqualTo(r); // seeded
    }
  }

  @Test void eachCandidateIsCountedUnderTheFirstFilterItFails() {
    PreQueryPrompts.Filter f = new PreQueryPrompts.Filter(new PreQueryPrompts.Config(10, 3, 8, 24, 1.0, 1, 2, 5, 0.5));
    f.offer("what is two plus three");
    f.offer(null); // the turn never ended
    f.offer("hello"); // one word
    f.offer("one two three four five six"); // six words
    f.offer("what is two plus four"); // bigrams {what is, is two, two plus} shared: Jaccard 3/5 >= 0.5
    f.offer("name a red fruit");
    assertThat(f.result()).isEqualTo(new PreQueryPrompts.Result(java.util.List.of("what is two plus three", "name a red fruit"), 6, 1, 2, 1));
  }

  @Test void badSettingsAreNamed() {
    assertThatThrownBy(() -> new PreQueryPrompts.Config(10, 3, 8, 24, 1.0, 1, 5, 4, 0.7)).hasMessageContaining("minWords");
    assertThatThrownBy(() -> new PreQueryPrompts.Config(10, 3, 8, 24, 0, 1, 1, 4, 0.7)).hasMessageContaining("temperature");
    assertThatThrownBy(() -> new PreQueryPrompts.Config(10, 0, 8, 24, 1.0, 1, 1, 4, 0.7)).hasMessageContaining("maxRounds");
    assertThatThrownBy(() -> new PreQueryPrompts.Config(10, 3, 8, 24, 1.0, 1, 1, 4, 1.5)).hasMessageContaining("ngramThreshold");
    assertThatThrownBy(() -> new PreQueryPrompts.Result(java.util.List.of("a b"), 3, 1, 0, 0)).hasMessageContaining("accounted");
  }
}
