package org.rlhf4j.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a model folder says about its tokenizer beyond {@code tokenizer.json}: special-token
 * strings (from {@code tokenizer_config.json}, else {@code special_tokens_map.json}), the chat
 * template, and the extra stop ids of {@code generation_config.json}. Token fields are null when
 * the folder defines none.
 */
record TokenizerConfig(String bosToken, String eosToken, String padToken, String unkToken,
    Optional<String> chatTemplate, List<Integer> generationEosIds) {

  TokenizerConfig {
    chatTemplate = chatTemplate == null ? Optional.empty() : chatTemplate;
    generationEosIds = generationEosIds == null ? List.of() : List.copyOf(generationEosIds);
  }

  static TokenizerConfig load(Path dir) {
    Path configFile = dir.resolve("tokenizer_config.json");
    Path mapFile = dir.resolve("special_tokens_map.json");
    JsonNode config = JsonFiles.readIfPresent(configFile).orElse(MissingNode.getInstance());
    JsonNode map = JsonFiles.readIfPresent(mapFile).orElse(MissingNode.getInstance());
    return new TokenizerConfig(
        token(config, configFile, map, mapFile, "bos_token"),
        token(config, configFile, map, mapFile, "eos_token"),
        token(config, configFile, map, mapFile, "pad_token"),
        token(config, configFile, map, mapFile, "unk_token"),
        chatTemplate(dir, config, configFile),
        generationEosIds(dir.resolve("generation_config.json")));
  }

  /** This config with {@code pad} as the pad token when it names none (e.g. from tokenizer.json's padding section). */
  TokenizerConfig withDefaultPad(String pad) {
    if (padToken != null || pad == null) return this;
    return new TokenizerConfig(bosToken, eosToken, pad, unkToken, chatTemplate, generationEosIds);
  }

  private static String token(JsonNode config, Path configFile, JsonNode map, Path mapFile, String field) {
    String v = config.has(field) ? JsonFiles.tokenText(config, configFile, field) : null;
    if (v == null && map.has(field)) v = JsonFiles.tokenText(map, mapFile, field);
    return v;
  }

  /** {@code chat_template}: a string, or a list of {name, template} (the "default" one is used); else chat_template.jinja / .json. */
  private static Optional<String> chatTemplate(Path dir, JsonNode config, Path configFile) {
    JsonNode t = config.path("chat_template");
    if (t.isTextual()) return Optional.of(t.asText());
    if (t.isArray()) return Optional.of(namedDefault(t, configFile));
    if (!t.isMissingNode() && !t.isNull()) {
      throw new IllegalArgumentException(configFile + ": chat_template must be a string or a list of {name, template}");
    }
    Path jinja = dir.resolve("chat_template.jinja");
    if (Files.isRegularFile(jinja)) {
      try {
        return Optional.of(Files.readString(jinja));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + jinja, e);
      }
    }
    Path json = dir.resolve("chat_template.json");
    return JsonFiles.readIfPresent(json).map(n -> n.path("chat_template"))
        .filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  private static String namedDefault(JsonNode list, Path file) {
    for (JsonNode entry : list) {
      if ("default".equals(entry.path("name").asText()) && entry.path("template").isTextual()) {
        return entry.get("template").asText();
      }
    }
    throw new IllegalArgumentException(file + ": chat_template is a list without a \"default\" template");
  }

  /** {@code eos_token_id} of generation_config.json: an int or a list of ints. */
  private static List<Integer> generationEosIds(Path file) {
    JsonNode gen = JsonFiles.readIfPresent(file).orElse(MissingNode.getInstance());
    JsonNode eos = gen.path("eos_token_id");
    List<Integer> ids = new ArrayList<>();
    if (eos.isInt()) {
      ids.add(eos.asInt());
    } else if (eos.isArray()) {
      for (JsonNode id : eos) {
        if (!id.isInt()) throw new IllegalArgumentException(file + ": eos_token_id entries must be ints, got " + id);
        ids.add(id.asInt());
      }
    } else if (!eos.isMissingNode() && !eos.isNull()) {
      throw new IllegalArgumentException(file + ": eos_token_id must be an int or a list of ints, got " + eos);
    }
    return ids;
  }
}
