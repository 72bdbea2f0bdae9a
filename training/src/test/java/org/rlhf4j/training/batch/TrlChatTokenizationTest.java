package org.rlhf4j.training.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * Issue 11, item 17 for conversational data (TRL's {"prompt": [messages], "chosen": [messages], ...}): the ids are
 * those TRL's code makes, as read in TRL's source (huggingface/trl at f2cd577, 1.10.0.dev0; not TRL run: no PyPI
 * here). {@code DPOTrainer._prepare_dataset} and {@code SFTTrainer}'s {@code tokenize_fn} call
 * {@code data_utils._tokenize}: {@code prompt_ids = apply_chat_template(prompt, add_generation_prompt=True)},
 * {@code full = apply_chat_template(prompt + chosen)}, {@code chosen_ids = full[len(prompt_ids):]}; SFT's row is
 * {@code full} with {@code completion_mask} 0 over {@code len(prompt_ids)}; no EOS is added to conversational data.
 * transformers' {@code apply_chat_template(tokenize=True)} tokenises the rendered text with
 * {@code add_special_tokens=False}; rlhf4j's ids are the same whenever the template writes BOS itself or the tokenizer
 * adds none (the one other case has its own test below). The rendered texts are written out below (what the templates produce, as
 * transformers renders them: ChatTemplateTest checks the renderer); the ids are those of the whole texts.
 */
class TrlChatTokenizationTest {
  @TempDir Path tmp;

  /**
   * stories260K's tokenizer with {@code chat_template} set to the test resource {@code trl/NAME}; without
   * {@code addsBos} its post-processor is removed, so it adds no BOS of its own (as Qwen's tokenizer).
   */
  private Tokenizer withTemplate(String name, boolean addsBos) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name + "-" + addsBos));
    Path src = Tiny.tokenizerDir();
    ObjectMapper json = new ObjectMapper();
    ObjectNode tokJson = (ObjectNode) json.readTree(src.resolve("tokenizer.json").toFile());
    if (!addsBos) tokJson.putNull("post_processor");
    json.writeValue(dir.resolve("tokenizer.json").toFile(), tokJson);
    ObjectNode cfg = (ObjectNode) json.readTree(src.resolve("tokenizer_config.json").toFile());
    if (!addsBos) cfg.put("add_bos_token", false);
    try (InputStream in = getClass().getResourceAsStream("/trl/" + name)) {
      assertThat(in).as("test resource trl/" + name).isNotNull();
      cfg.put("chat_template", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    json.writeValue(dir.resolve("tokenizer_config.json").toFile(), cfg);
    return Tokenizer.load(dir);
  }

  private static int[] tail(int[] a, int from) { return Arrays.copyOfRange(a, from, a.length); }

  /** TRL's DPO/SFT ids for one example, from the rendered texts: prompt alone, prompt + completion. */
  private static void assertTrl(Encoder enc, Tokenizer tok, Content prompt, Content completion, String promptText,
      String fullText) {
    assertIds(enc, tok, prompt, completion, promptText, fullText, false);
  }

  /** As {@link #assertTrl}, the texts tokenised with the tokenizer's special tokens when {@code special}. */
  private static void assertIds(Encoder enc, Tokenizer tok, Content prompt, Content completion, String promptText,
      String fullText, boolean special) {
    int[] promptIds = tok.encode(promptText, special), full = tok.encode(fullText, special);
    Sequence dpo = enc.encode(prompt, completion);
    assertThat(dpo.prompt()).as("DPO prompt_ids of %s", promptText).isEqualTo(promptIds);
    assertThat(dpo.completion()).as("DPO chosen_ids after %s", promptText).isEqualTo(tail(full, promptIds.length));
    Row sft = enc.encodeSft(prompt, completion).toRow();
    assertThat(sft.ids()).as("SFT input_ids").isEqualTo(full);
    int[] mask = new int[full.length];
    Arrays.fill(mask, promptIds.length, full.length, 1);
    assertThat(sft.lossMask()).as("SFT completion_mask").isEqualTo(mask);
  }

  /** Llama-2-chat's template: BOS written by the template, the answer after "[/INST]" with its leading space. */
  @Test void llama2ChatPairsTokeniseAsTrl() throws Exception {
    try (Tokenizer tok = withTemplate("llama2.jinja", true)) {
      Encoder enc = new Encoder(tok);
      Content prompt = Chat.of(Message.user("Where did the dog go?"));
      String promptText = "<s>[INST] Where did the dog go? [/INST]";
      assertTrl(enc, tok, prompt, Chat.of(Message.assistant("The dog ran to the park.")), promptText,
          promptText + " The dog ran to the park. </s>");
      assertTrl(enc, tok, prompt, Chat.of(Message.assistant("no")), promptText, promptText + " no </s>");
      Sequence s = enc.encode(prompt, Chat.of(Message.assistant("The dog ran to the park.")));
      assertThat(s.prompt()).as("one BOS, the template's").startsWith(1).doesNotContain(0);
      assertThat(Arrays.stream(s.prompt()).filter(i -> i == 1).count()).isEqualTo(1);
      int[] c = s.completion();
      assertThat(c[c.length - 1]).as("the template's </s> ends the turn").isEqualTo(2);
      assertThat(Arrays.stream(c).filter(i -> i == 2).count()).as("no EOS appended after it").isEqualTo(1);
      // what rlhf4j did before: the rest of the text tokenised on its own puts another "▁" before "The"
      assertThat(c).as("the answer's ids as inside the whole text").isNotEqualTo(tok.encode(" The dog ran to the park. </s>", false));
    }
  }

  /** A multi-turn prompt with a system message: the prompt is everything before the last assistant turn. */
  @Test void multiTurnPromptWithSystemTokenisesAsTrl() throws Exception {
    try (Tokenizer tok = withTemplate("llama2.jinja", true)) {
      Content prompt = Chat.of(Message.system("Be kind."), Message.user("Hi"), Message.assistant("Hello!"),
          Message.user("Tell me a story."));
      String promptText = "<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Tell me a story. [/INST]";
      assertTrl(new Encoder(tok), tok, prompt, Chat.of(Message.assistant("Once upon a time there was a cat.")),
          promptText, promptText + " Once upon a time there was a cat. </s>");
    }
  }

  /**
   * A ChatML template (Qwen2's layout) on a tokenizer that adds no BOS (as Qwen's): the turn ends "<|im_end|>\n"
   * and TRL keeps the newline and adds nothing (rlhf4j used to drop the newline, or append EOS when, as here, the
   * vocabulary has no <|im_end|> token).
   */
  @Test void chatMlTemplatePairsKeepTheTemplatesEndingAndGetNoEos() throws Exception {
    try (Tokenizer tok = withTemplate("qwen.jinja", false)) {
      Encoder enc = new Encoder(tok);
      Content prompt = Chat.of(Message.user("Name a colour."));
      String promptText = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nName a colour.<|im_end|>\n"
          + "<|im_start|>assistant\n";
      String fullText = promptText.substring(0, promptText.length() - "<|im_start|>assistant\n".length())
          + "<|im_start|>assistant\nRed.<|im_end|>\n";
      assertTrl(enc, tok, prompt, Chat.of(Message.assistant("Red.")), promptText, fullText);
      // a plain-text side of a chat example is the assistant's answer
      assertTrl(enc, tok, prompt, Content.text("Red."), promptText, fullText);
      int[] c = enc.encode(prompt, Chat.of(Message.assistant("Red."))).completion();
      assertThat(tok.decode(c, false)).endsWith("<|im_end|>\n");
      assertThat(c).as("no EOS, no BOS").doesNotContain(1, 2);
    }
  }

  /**
   * The one case that is not TRL's: a template without BOS on a tokenizer that adds one (ChatML on a Llama
   * tokenizer). TRL tokenises without special tokens (no BOS); rlhf4j keeps the tokenizer's BOS, as its generate,
   * serve-model and judges encode the same prompt at inference. Otherwise the ids are TRL's slices.
   */
  @Test void aTemplateWithoutBosOnATokenizerThatAddsOneKeepsTheTokenizersBos() throws Exception {
    try (Tokenizer tok = withTemplate("qwen.jinja", true)) {
      Content prompt = Chat.of(Message.user("Name a colour."));
      String promptText = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nName a colour.<|im_end|>\n"
          + "<|im_start|>assistant\n";
      Encoder enc = new Encoder(tok);
      assertIds(enc, tok, prompt, Chat.of(Message.assistant("Red.")), promptText, promptText.substring(0,
          promptText.length() - "<|im_start|>assistant\n".length()) + "<|im_start|>assistant\nRed.<|im_end|>\n", true);
      assertThat(enc.encode(prompt, Chat.of(Message.assistant("Red."))).prompt()).startsWith(1);
    }
  }

  /**
   * No chat template (TRL refuses such data): rlhf4j's ChatML fallback keeps the tokenizer's BOS and appends EOS so
   * the model learns to stop; the completion is still the whole text's ids after the prompt's.
   */
  @Test void withoutATemplateTheChatMlFallbackAddsBosAndEos() throws Exception {
    try (Tokenizer tok = Tiny.tokenizer()) {
      Encoder enc = new Encoder(tok);
      Content prompt = Chat.of(Message.user("Hi"));
      Sequence s = enc.encode(prompt, Chat.of(Message.assistant("Hello there")));
      String promptText = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n";
      int[] full = tok.encode(promptText + "Hello there<|im_end|>\n", true);
      assertThat(s.prompt()).isEqualTo(tok.encode(promptText, true)).startsWith(1);
      int[] c = s.completion();
      assertThat(Arrays.copyOf(c, c.length - 1)).isEqualTo(tail(full, s.prompt().length));
      assertThat(c[c.length - 1]).isEqualTo(2);
    }
  }
}
