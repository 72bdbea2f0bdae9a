package org.rlhf4j.models.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}, run by the Rust tokenizers library)
 * plus what the model folder says about special tokens, stop ids and the chat template.
 *
 * <p>Never truncates. Llama-style tokenizers have no pad token: {@link #padId()} then falls back
 * to eos (or unk, or 0) and {@link #padIsReal()} is false, so callers must mask padding by the
 * attention mask, never by comparing ids with {@code padId()}. Thread-safe for encode/decode.
 */
public final class Tokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer hf;
  private final Vocab vocab;
  private final TokenizerConfig config;
  private final boolean cleanUpSpaces;
  private final boolean addsBos;

  private Tokenizer(HuggingFaceTokenizer hf, Vocab vocab, TokenizerConfig config, boolean cleanUpSpaces) {
    this.hf = hf;
    this.vocab = vocab;
    this.config = config;
    this.cleanUpSpaces = cleanUpSpaces;
    this.addsBos = detectAddsBos();
  }


  /** The tokenizer files of a model folder: copied with the weights so every saved folder loads on its own. */
  public static final java.util.List<String> FILES = java.util.List.of("tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "generation_config.json", "chat_template.jinja", "chat_template.json");

  /** Copies the tokenizer files found in {@code from} (may be null: nothing to copy) into {@code to}. */
  public static void copyFiles(Path from, Path to) throws java.io.IOException {
    if (from == null || from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) return;
    java.nio.file.Files.createDirectories(to);
    for (String f : FILES) {
      Path src = from.resolve(f);
      if (java.nio.file.Files.isRegularFile(src)) {
        java.nio.file.Files.copy(src, to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
  /**
   * Loads {@code modelDir/tokenizer.json} and, when present, {@code tokenizer_config.json},
   * {@code special_tokens_map.json}, {@code generation_config.json} and a chat template file.
   */
  public static Tokenizer load(Path modelDir) {
    Path file = modelDir.resolve("tokenizer.json");
    JsonNode json = JsonFiles.read(file);
    Vocab vocab = Vocab.of(json, file);
    JsonNode padding = json.path("padding").path("pad_token");
    TokenizerConfig config = TokenizerConfig.load(modelDir).withDefaultPad(padding.isTextual() ? padding.asText() : null);
    JsonNode rawConfig = JsonFiles.readIfPresent(modelDir.resolve("tokenizer_config.json")).orElse(null);
    boolean cleanUp = rawConfig != null && rawConfig.path("clean_up_tokenization_spaces").asBoolean(false);
    HuggingFaceTokenizer hf;
    try {
      hf = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the tokenizers library rejected " + file + ": " + e.getMessage(), e);
    }
    return new Tokenizer(hf, vocab, config, cleanUp);
  }

  /** Token ids of {@code text}, with the post-processor's special tokens (e.g. BOS) when asked. Never truncated. */
  public int[] encode(String text, boolean addSpecialTokens) {
    return toInts(hf.encode(text, addSpecialTokens, false));
  }

  public int[][] encodeBatch(List<String> texts, boolean addSpecialTokens) {
    Encoding[] encodings = hf.batchEncode(texts, addSpecialTokens, false);
    int[][] out = new int[encodings.length][];
    for (int i = 0; i < encodings.length; i++) out[i] = toInts(encodings[i]);
    return out;
  }

  private static int[] toInts(Encoding e) {
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
    return out;
  }

  /** Text of {@code ids}; applies transformers' clean-up of spaces before punctuation when the config asks for it. */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocab.size()) {
        throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
            + " is outside the vocabulary (size " + vocab.size() + ")");
      }
      longs[i] = ids[i];
    }
    String text = hf.decode(longs, skipSpecialTokens);
    return cleanUpSpaces ? cleanUpTokenization(text) : text;
  }

  /** transformers' {@code clean_up_tokenization}: drops the space before punctuation and English contractions. */
  static String cleanUpTokenization(String s) {
    return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
        .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
        .replace(" 've", "'ve").replace(" 're", "'re");
  }

  /** Number of token ids (highest id + 1, added tokens included). */
  public int vocabSize() { return vocab.size(); }

  public OptionalInt tokenToId(String token) { return vocab.id(token); }

  public String idToToken(int id) { return vocab.token(id); }

  public Optional<String> bosToken() { return Optional.ofNullable(config.bosToken()); }

  public Optional<String> eosToken() { return Optional.ofNullable(config.eosToken()); }

  public OptionalInt bosId() { return vocab.id(config.bosToken()); }

  public OptionalInt eosId() { return vocab.id(config.eosToken()); }

  /**
   * The pad token's id (tokenizer_config.json / special_tokens_map.json, else tokenizer.json's
   * padding section), else eos, else unk, else 0 (see {@link #padIsReal()}).
   */
  public int padId() {
    OptionalInt pad = vocab.id(config.padToken());
    if (pad.isPresent()) return pad.getAsInt();
    OptionalInt eos = eosId();
    if (eos.isPresent()) return eos.getAsInt();
    return vocab.id(config.unkToken()).orElse(0);
  }

  /** True when the tokenizer defines its own pad token (false when {@link #padId()} is a fallback). */
  public boolean padIsReal() { return vocab.id(config.padToken()).isPresent(); }

  /** Ids that end generation: eos plus generation_config.json's {@code eos_token_id} (int or list). */
  public Set<Integer> stopIds() {
    Set<Integer> ids = new LinkedHashSet<>();
    eosId().ifPresent(ids::add);
    ids.addAll(config.generationEosIds());
    return Collections.unmodifiableSet(ids);
  }

  /** True when {@code encode(text, true)} puts BOS in front (checked on the tokenizer itself). */
  public boolean addsBos() { return addsBos; }

  private boolean detectAddsBos() {
    OptionalInt bos = bosId();
    if (bos.isEmpty()) return false;
    int[] ids = encode("a", true);
    return ids.length > 0 && ids[0] == bos.getAsInt();
  }

  /**
   * The folder's chat template, rendered with this tokenizer's bos/eos strings. Rendered text
   * usually already holds BOS: encode it with {@code addSpecialTokens=false}.
   */
  public Optional<ChatTemplate> chatTemplate() {
    return config.chatTemplate().map(src -> ChatTemplate.of(src,
        bosToken().orElse(""), eosToken().orElse("")));
  }

  @Override public void close() { hf.close(); }
}
