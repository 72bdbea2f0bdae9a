package org.rlhf4j.demo.world;

import org.rlhf4j.common.FileOps;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a Hugging Face tokenizer for the world: {@code tokenizer.json} (a WordLevel model over the vocabulary,
 * whitespace pre-tokenisation, a {@code <bos>} prepended by the post-processor, no decoder so decoding joins tokens
 * with spaces) and {@code tokenizer_config.json} (special tokens and a Jinja chat template that writes
 * {@code "<bos> user: ... assistant: ... <eos>"}: the same ids as encoding {@link World#document} with special
 * tokens and appending {@code <eos>}).
 */
public final class TokenizerFiles {
  public static final String PAD = "<pad>";
  public static final String BOS = "<bos>";
  public static final String EOS = "<eos>";
  public static final String UNK = "<unk>";
  public static final List<String> SPECIAL_TOKENS = List.of(PAD, BOS, EOS, UNK);

  /**
   * Renders {@code "<bos> "} then messages ({@code role}, {@code content}) as {@code "<role>: <content>"} joined by
   * single spaces, each assistant turn followed by {@code " <eos>"}; {@code add_generation_prompt} appends
   * {@code " assistant:"}. As in Hugging Face, the rendered text holds BOS: encode it without special tokens.
   * Spaces are written as expressions, never as text next to a block tag, so trim_blocks/lstrip_blocks (as
   * transformers sets them) cannot eat them.
   */
  public static final String CHAT_TEMPLATE =
      "{{ bos_token }}{% for message in messages %}{{ ' ' + message['role'] + ': ' + message['content'] }}"
          + "{% if message['role'] == 'assistant' %}{{ ' ' + eos_token }}{% endif %}{% endfor %}"
          + "{% if add_generation_prompt %}{{ ' assistant:' }}{% endif %}";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TokenizerFiles() {}

  /**
   * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir} (created if missing). Token ids
   * are positions in {@code vocabulary}, which must hold the four special tokens, no duplicates and no whitespace.
   */
  public static void write(Path dir, List<String> vocabulary) {
    validate(vocabulary);
    try {
      Files.createDirectories(dir);
      writeAtomically(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer(vocabulary)));
      writeAtomically(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(config()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write tokenizer files to " + dir + ": " + e.getMessage(), e);
    }
  }

  static void validate(List<String> vocabulary) {
    if (vocabulary == null || vocabulary.isEmpty()) throw new IllegalArgumentException("vocabulary is empty");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < vocabulary.size(); i++) {
      String token = vocabulary.get(i);
      if (token == null || token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("vocabulary token " + i + " is empty or contains whitespace: \"" + token + "\"");
      }
      if (!seen.add(token)) throw new IllegalArgumentException("vocabulary token " + i + " is a duplicate: " + token);
    }
    for (String special : SPECIAL_TOKENS) {
      if (!seen.contains(special)) throw new IllegalArgumentException("vocabulary lacks the special token " + special);
    }
  }

  private static ObjectNode tokenizer(List<String> vocabulary) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : SPECIAL_TOKENS) {
      added.addObject().put("id", vocabulary.indexOf(special)).put("content", special).put("single_word", false)
          .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    }
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
    root.set("post_processor", bosProcessor(vocabulary.indexOf(BOS)));
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < vocabulary.size(); i++) vocab.put(vocabulary.get(i), i);
    model.put("unk_token", UNK);
    return root;
  }

  /** TemplateProcessing: {@code <bos> A} for one sequence, {@code <bos> A B} for a pair. */
  private static ObjectNode bosProcessor(int bosId) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "TemplateProcessing");
    ArrayNode single = p.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = p.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = p.putObject("special_tokens").putObject(BOS);
    bos.put("id", BOS);
    bos.putArray("ids").add(bosId);
    bos.putArray("tokens").add(BOS);
    return p;
  }

  private static ObjectNode config() {
    ObjectNode c = JSON.createObjectNode();
    c.put("tokenizer_class", "PreTrainedTokenizerFast");
    c.put("bos_token", BOS);
    c.put("eos_token", EOS);
    c.put("pad_token", PAD);
    c.put("unk_token", UNK);
    c.put("add_bos_token", true);
    c.put("add_eos_token", false);
    c.put("clean_up_tokenization_spaces", false);
    c.put("chat_template", CHAT_TEMPLATE);
    return c;
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    FileOps.writeString(target, content + "\n");
  }
}
