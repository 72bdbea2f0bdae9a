package org.rlhf4j.models.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

  static String resource(String name) throws IOException {
    try (InputStream in = ChatTemplateTest.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("missing test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Map<String, String> msg(String role, String content) { return Map.of("role", role, "content", content); }

  @Test void llama2WithSystemPromptAndTwoTurns() throws IOException {
    ChatTemplate t = ChatTemplate.of(resource("llama2.jinja"), "<s>", "</s>");
    String out = t.render(List.of(msg("system", "You are kind."), msg("user", "Hi there  "),
        msg("assistant", " Hello!"), msg("user", "Bye")), true);
    assertThat(out).isEqualTo("<s>[INST] <<SYS>>\nYou are kind.\n<</SYS>>\n\nHi there [/INST] Hello! </s>"
        + "<s>[INST] Bye [/INST]");
  }

  @Test void llama2RaisesOnNonAlternatingRoles() throws IOException {
    ChatTemplate t = ChatTemplate.of(resource("llama2.jinja"), "<s>", "</s>");
    assertThatThrownBy(() -> t.render(List.of(msg("user", "a"), msg("user", "b")), false))
        .isInstanceOf(ChatTemplateException.class)
        .hasMessageContaining("Conversation roles must alternate");
  }

  @Test void qwenStyleAddsDefaultSystemAndGenerationPrompt() throws IOException {
    ChatTemplate t = ChatTemplate.of(resource("qwen.jinja"), null, "<|im_end|>");
    assertThat(t.render(List.of(msg("user", "  Hello  ")), true)).isEqualTo(
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        + "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n");
    assertThat(t.render(List.of(msg("system", "Be terse."), msg("user", "Hi")), false)).isEqualTo(
        "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
  }

  @Test void continuingTheFinalMessageCutsAfterItsContent() throws IOException {
    ChatTemplate qwen = ChatTemplate.of(resource("qwen.jinja"), null, "<|im_end|>");
    assertThat(qwen.renderContinuingFinal(List.of(msg("user", "Which?"), msg("assistant", "The better answer is")))).isEqualTo(
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhich?<|im_end|>\n"
        + "<|im_start|>assistant\nThe better answer is");
    // llama2's template trims the content: the stripped text is what is looked for
    ChatTemplate llama = ChatTemplate.of(resource("llama2.jinja"), "<s>", "</s>");
    assertThat(llama.renderContinuingFinal(List.of(msg("user", "Hi"), msg("assistant", " Sure,  ")))).isEqualTo("<s>[INST] Hi [/INST] Sure,");
    assertThatThrownBy(() -> qwen.renderContinuingFinal(List.of(msg("user", "Hi"), msg("assistant", " "))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    ChatTemplate silent = ChatTemplate.of("{% for m in messages %}{{ m['role'] }}{% endfor %}", null, null);
    assertThatThrownBy(() -> silent.renderContinuingFinal(List.of(msg("user", "Hi"), msg("assistant", "Sure"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not write the final message's content");
  }

  @Test void zephyrStyleUsesTrimAndLstripBlocks() throws IOException {
    ChatTemplate t = ChatTemplate.of(resource("zephyr.jinja"), "<s>", "</s>");
    List<Map<String, String>> m = List.of(msg("system", "Be brief."), msg("user", "Hi"));
    assertThat(t.render(m, true)).isEqualTo("<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\n");
    assertThat(t.render(m, false)).isEqualTo("<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n");
  }

  @Test void namespaceLoopControlsAndPythonStringMethods() throws IOException {
    ChatTemplate t = ChatTemplate.of(resource("namespace.jinja"), "", "");
    String out = t.render(List.of(msg("system", "S"), msg("user", "hello  "), msg("assistant", "yo"),
        msg("user", "STOP now"), msg("user", "never")), false);
    assertThat(out).isEqualTo("USER: hello\nASSISTANT: yo\nsystem=S turns=2");
  }

  @Test void chatMlFallback() {
    String out = ChatTemplate.chatMl().render(List.of(msg("user", "2+2?"), msg("assistant", "4")), false);
    assertThat(out).isEqualTo("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n");
    assertThat(ChatTemplate.chatMl().render(List.of(msg("user", "x")), true))
        .endsWith("<|im_end|>\n<|im_start|>assistant\n");
  }

  @Test void badInputIsAClearError() {
    assertThatThrownBy(() -> ChatTemplate.of("  ", "", "")).hasMessageContaining("empty");
    assertThatThrownBy(() -> ChatTemplate.chatMl().render(List.of(Map.of("role", "user")), false))
        .hasMessageContaining("message 0").hasMessageContaining("content");
    assertThatThrownBy(() -> ChatTemplate.of("{% for x in %}", "", "").render(List.of(), false))
        .isInstanceOf(ChatTemplateException.class);
  }

  /** Message text is data, as in Jinja: Jinja syntax inside it is output verbatim, never rendered (issue 11, item 2). */
  @Test void jinjaSyntaxInsideMessagesIsOutputVerbatim() {
    String code = "Use {{ secrets.GITHUB\\_TOKEN }} and {% if x %}y{% endif %} or {{ raise_exception('boom') }}.";
    String out = ChatTemplate.chatMl().render(List.of(msg("user", code)), true);
    assertThat(out).isEqualTo("<|im_start|>user\n" + code + "<|im_end|>\n<|im_start|>assistant\n");
  }
}
