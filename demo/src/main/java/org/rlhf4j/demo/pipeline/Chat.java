package org.rlhf4j.demo.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.models.tokenizer.Tokenizer;

/** Renders world prompts through the tokenizer's chat template and decodes responses. */
final class Chat {
  private final Tokenizer tok;

  Chat(Tokenizer tok) { this.tok = tok; }

  /** Token ids of the rendered prompt, ending with the generation prompt ("assistant:"). */
  long[] promptIds(String prompt) {
    String text = tok.chatTemplate().orElseThrow().render(List.of(Map.of("role", "user", "content", prompt)), true);
    return java.util.Arrays.stream(tok.encode(text, false)).asLongStream().toArray();
  }

  List<long[]> promptIds(List<String> prompts) {
    List<long[]> out = new ArrayList<>();
    for (String p : prompts) out.add(promptIds(p));
    return out;
  }

  /** The response text of generated ids (special tokens dropped). */
  String response(long[] ids) {
    return tok.decode(java.util.Arrays.stream(ids).mapToInt(l -> (int) l).toArray(), true).trim();
  }

  Tokenizer tokenizer() { return tok; }
}
