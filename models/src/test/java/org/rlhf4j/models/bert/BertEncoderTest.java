package org.rlhf4j.models.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/** The libtorch BERT loaded from the bundled ONNX file reproduces ONNX Runtime on the same file. */
class BertEncoderTest {
  static final List<String> SENTENCES = List.of(
      "The cat sits on the mat.",
      "A quick brown fox jumps over the lazy dog near the river bank at dawn.",
      "Hello!");

  static BertEncoder encoder;

  @BeforeAll static void load() { encoder = BertEncoder.miniLm(); }

  @AfterAll static void release() { encoder = null; }

  /** ONNX Runtime's last hidden state (B, T, H) for the given ids and mask. */
  static float[][][] onnxRuntimeHidden(long[][] ids, long[][] mask) throws Exception {
    byte[] model;
    try (InputStream in = BertEncoderTest.class.getResourceAsStream(BertLoader.MINI_LM_ONNX)) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[][] types = new long[ids.length][ids[0].length];
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
         OnnxTensor i = OnnxTensor.createTensor(env, ids);
         OnnxTensor m = OnnxTensor.createTensor(env, mask);
         OnnxTensor t = OnnxTensor.createTensor(env, types);
         OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
      return (float[][][]) r.get(0).getValue();
    }
  }

  static long[][] rows(Tensor t) {
    long[] flat = Tensors.toLongs(t);
    int b = (int) t.size(0), n = (int) t.size(1);
    long[][] out = new long[b][n];
    for (int i = 0; i < b; i++) System.arraycopy(flat, i * n, out[i], 0, n);
    return out;
  }

  @Test void matchesOnnxRuntimeHiddenStatesAndEmbeddings() throws Exception {
    try (NativeScope scope = NativeScope.open()) {
      Batch batch = encoder.tokenize(SENTENCES);
      long[][] ids = rows(batch.inputIds()), mask = rows(batch.attentionMask());
      assertThat(ids[0][0]).isEqualTo(101);                       // [CLS]
      assertThat(mask[2]).contains(0L);                            // "Hello!" is padded
      float[][][] expected = onnxRuntimeHidden(ids, mask);
      Tensor hidden = encoder.forward(batch.inputIds(), batch.attentionMask());   // (B, T, H)
      float[] ours = Tensors.toFloats(hidden);
      int t = ids[0].length, h = encoder.hiddenSize();
      double maxDiff = 0;
      for (int b = 0; b < ids.length; b++) {
        for (int i = 0; i < t; i++) {
          if (mask[b][i] == 0) continue;
          for (int j = 0; j < h; j++) maxDiff = Math.max(maxDiff, Math.abs(ours[(b * t + i) * h + j] - expected[b][i][j]));
        }
      }
      System.out.println("MiniLM last hidden state vs ONNX Runtime: max |diff| = " + maxDiff);
      assertThat(maxDiff).isLessThan(1e-4);

      float[] emb = Tensors.toFloats(encoder.embed(SENTENCES));  // (B, H)
      for (int b = 0; b < ids.length; b++) {
        double cos = cosine(emb, b, meanPool(expected[b], mask[b]), h);
        assertThat(cos).as("sentence " + b).isGreaterThanOrEqualTo(0.9999);
      }
    }
  }

  static float[] meanPool(float[][] hidden, long[] mask) {
    float[] out = new float[hidden[0].length];
    int n = 0;
    for (int i = 0; i < hidden.length; i++) {
      if (mask[i] == 0) continue;
      n++;
      for (int j = 0; j < out.length; j++) out[j] += hidden[i][j];
    }
    for (int j = 0; j < out.length; j++) out[j] /= n;
    return out;
  }

  static double cosine(float[] rowsFlat, int row, float[] v, int h) {
    double dot = 0, a = 0, b = 0;
    for (int j = 0; j < h; j++) {
      double x = rowsFlat[row * h + j];
      dot += x * v[j];
      a += x * x;
      b += (double) v[j] * v[j];
    }
    return dot / Math.sqrt(a * b);
  }

  @Test void poolerMatchesOnnxRuntimesPooledOutput() throws Exception {
    byte[] model;
    try (InputStream in = BertEncoderTest.class.getResourceAsStream(BertLoader.MINI_LM_ONNX)) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (NativeScope scope = NativeScope.open(); OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
      // The export names its outputs [output_0, 882]: the last hidden state, then the pooler's Tanh (B, H).
      assertThat(session.getOutputNames()).hasSize(2);
      Batch batch = encoder.tokenize(SENTENCES);
      long[][] ids = rows(batch.inputIds()), mask = rows(batch.attentionMask());
      try (OnnxTensor i = OnnxTensor.createTensor(env, ids); OnnxTensor m = OnnxTensor.createTensor(env, mask);
           OnnxTensor t = OnnxTensor.createTensor(env, new long[ids.length][ids[0].length]);
           OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
        float[][] expected = (float[][]) r.get(1).getValue();
        BertPooler pooler = encoder.pooler().orElseThrow();
        float[] ours = Tensors.toFloats(pooler.forward(encoder.forward(batch.inputIds(), batch.attentionMask())));  // (B, H)
        double maxDiff = 0;
        for (int b = 0; b < ids.length; b++) {
          for (int j = 0; j < encoder.hiddenSize(); j++) maxDiff = Math.max(maxDiff, Math.abs(ours[b * encoder.hiddenSize() + j] - expected[b][j]));
        }
        System.out.println("MiniLM pooled output vs ONNX Runtime: max |diff| = " + maxDiff);
        assertThat(maxDiff).isLessThan(1e-4);
      }
    }
  }

  @Test void anOnnxFolderLoadsAsTheSameEncoder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (InputStream in = BertEncoderTest.class.getResourceAsStream(BertLoader.MINI_LM_ONNX)) {
      java.nio.file.Files.write(dir.resolve("model.onnx"), in.readAllBytes());
    }
    BertConfig.MINI_LM_L6.writeJson(dir.resolve("config.json"));
    encoder.writeTokenizer(dir);
    BertEncoder fromFolder = BertLoader.load(dir, Device.CPU);
    assertThat(fromFolder.pooler()).isPresent();
    try (NativeScope scope = NativeScope.open()) {
      float[] a = Tensors.toFloats(encoder.embed(SENTENCES)), b = Tensors.toFloats(fromFolder.embed(SENTENCES));
      assertThat(b).containsExactly(a);
    }
  }

  @Test void embeddingsAreUnitLengthPaddingInvariantAndSemantic() {
    try (NativeScope scope = NativeScope.open()) {
      int h = encoder.hiddenSize();
      float[] batch = Tensors.toFloats(encoder.embed(SENTENCES));
      float[] alone = Tensors.toFloats(encoder.embed(List.of(SENTENCES.get(2))));
      assertThat(cosine(batch, 2, alone, h)).isGreaterThan(0.99999);
      assertThat(cosine(batch, 0, java.util.Arrays.copyOfRange(batch, 0, h), h)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
      double norm = 0;
      for (int j = 0; j < h; j++) norm += batch[j] * batch[j];
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      float[] e = Tensors.toFloats(encoder.embed(List.of("A cat is lying on a rug.", "Stock markets fell sharply today.")));
      float[] cat = java.util.Arrays.copyOfRange(batch, 0, h);
      assertThat(cosine(e, 0, cat, h)).isGreaterThan(cosine(e, 1, cat, h) + 0.3);
    }
  }

  @Test void longTextsAreTruncatedToTheSentenceTransformersLimit() {
    assertThat(encoder.maxLength()).isEqualTo(256);
    assertThat(encoder.tokenizer().padId()).isEqualTo(0);
    assertThat(encoder.tokenizer().padIsReal()).isTrue();
    String longText = "the movie was good and the actors were great. ".repeat(60);   // ~600 tokens
    assertThat(encoder.tokenizer().encode(longText, true).length).isGreaterThan(512);
    try (NativeScope scope = NativeScope.open()) {
      Batch b = encoder.tokenize(List.of(longText, "short"));
      assertThat(b.inputIds().size(1)).isEqualTo(256);
      long[][] ids = rows(b.inputIds());
      assertThat(ids[0][0]).isEqualTo(101);
      assertThat(ids[0][255]).isEqualTo(102);                      // [SEP] kept at the end
      assertThat(ids[1]).startsWith(101, encoder.tokenizer().tokenToId("short").getAsInt(), 102, 0);
      assertThat(encoder.embed(List.of(longText)).size(1)).isEqualTo(384);
    }
    assertThatThrownBy(() -> encoder.withMaxLength(513)).hasMessageContaining("513");
  }

  @Test void parametersAreTrainableWithHuggingFaceNames() {
    Map<String, Tensor> p = encoder.parameters();
    assertThat(p).hasSize(5 + 6 * 16);
    assertThat(p.keySet()).startsWith("embeddings.word_embeddings.weight")
        .contains("encoder.layer.0.attention.self.query.weight", "encoder.layer.5.output.LayerNorm.bias");
    assertThat(p.get("encoder.layer.0.intermediate.dense.weight").sizes().vec().get()).containsExactly(1536, 384);
    long total = 0;
    for (Tensor t : p.values()) {
      assertThat(t.requires_grad()).isTrue();
      total += t.numel();
    }
    assertThat(total).isEqualTo(22_565_376L);
    assertThat(encoder.parameters().keySet()).containsExactlyElementsOf(p.keySet());
  }

  @Test void gradientsReachTheEmbeddings() {
    try (NativeScope scope = NativeScope.open()) {
      Batch batch = encoder.tokenize(List.of("good", "bad movie"));
      Tensor loss = encoder.pooled(batch.inputIds(), batch.attentionMask()).sum();
      loss.backward();
      Tensor g = encoder.parameters().get("encoder.layer.0.attention.self.query.weight").grad();
      assertThat(g.defined()).isTrue();
      assertThat(Tensors.item(g.abs().sum())).isGreaterThan(0.0);
      encoder.parameters().values().forEach(t -> { if (t.grad().defined()) t.grad().zero_(); });
    }
  }

  @Test void badWeightsAndModelsAreClearErrors() {
    assertThatThrownBy(() -> BertEncoder.fromWeights(BertConfig.MINI_LM_L6, Map.of(), encoder.tokenizer(), Device.CPU, "test weights"))
        .hasMessageContaining("test weights").hasMessageContaining("embeddings.word_embeddings.weight");
    Map<String, Tensor> wrong = Map.of("embeddings.word_embeddings.weight", Tensor.create(new float[6], 2, 3));
    assertThatThrownBy(() -> BertEncoder.fromWeights(BertConfig.MINI_LM_L6, wrong, encoder.tokenizer(), Device.CPU, "w"))
        .hasMessageContaining("[2, 3]").hasMessageContaining("[30522, 384]");
    assertThatThrownBy(() -> OnnxModel.parse(ByteBuffer.wrap(new byte[] {0x3a, 0x7f, 1}), "bad.onnx"))
        .hasMessageContaining("bad.onnx");
    assertThatThrownBy(() -> new BertConfig(10, 30, 1, 4, 8, 8, 2, 1e-12, "gelu")).hasMessageContaining("num_attention_heads");
    assertThatThrownBy(() -> encoder.forward(Tensor.create(new long[] {1, 2}, 1, 2), Tensor.create(new long[] {1}, 1, 1)))
        .hasMessageContaining("(B, T)");
  }

  @Test void huggingFaceFolderRoundTrip(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    encoder.config().writeJson(dir.resolve("config.json"));
    try (InputStream in = BertEncoderTest.class.getResourceAsStream(BertLoader.MINI_LM_TOKENIZER)) {
      java.nio.file.Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
    }
    Map<String, Tensor> checkpoint = new java.util.LinkedHashMap<>();
    encoder.parameters().forEach((k, v) -> checkpoint.put("bert." + k, v));   // BertForSequenceClassification layout
    checkpoint.put("classifier.weight", Tensor.create(new float[384 * 2], 2, 384));
    org.rlhf4j.runtime.Safetensors.save(dir.resolve("model.safetensors"), checkpoint, Map.of());
    BertEncoder loaded = BertLoader.load(dir, Device.CPU);
    assertThat(loaded.config()).isEqualTo(encoder.config());
    try (NativeScope scope = NativeScope.open()) {
      float[] a = Tensors.toFloats(encoder.embed(SENTENCES));
      float[] b = Tensors.toFloats(loaded.embed(SENTENCES));
      assertThat(b).containsExactly(a);
    }
    assertThatThrownBy(() -> BertLoader.load(dir.resolve("missing"), Device.CPU)).hasMessageContaining("config.json");
  }

  @Test void onnxNamesMapToHuggingFaceModules() {
    assertThat(HfWeights.normalise("/encoder/layer.0/attention/self/query")).isEqualTo("encoder.layer.0.attention.self.query");
    assertThat(HfWeights.normalise("bert.embeddings.LayerNorm.weight")).isEqualTo("embeddings.LayerNorm.weight");
    assertThat(HfWeights.normalise("onnx::MatMul_885")).isNull();
    assertThat(HfWeights.normalise("classifier.weight")).isNull();
  }
}
