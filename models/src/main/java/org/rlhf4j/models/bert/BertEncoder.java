package org.rlhf4j.models.bert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;

/**
 * A BERT encoder (embeddings, N post-LayerNorm transformer layers) in libtorch, with its
 * tokenizer. Parameters are trainable and carry Hugging Face {@code BertModel} names, so a reward
 * model can fine-tune it. {@link #miniLm()} loads the pretrained all-MiniLM-L6-v2 offline from
 * the classpath; {@link BertLoader} has the other sources (ONNX file, HF folder).
 */
public final class BertEncoder implements HasParameters {
  private static final double MASKED = -1e30;

  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final List<BertLayer> layers;
  private final Map<String, Tensor> parameters;
  private final Tokenizer tokenizer;
  private final Device device;
  private final int maxLength;
  private final BertPooler pooler;                      // may be null
  private final Map<String, byte[]> tokenizerFiles;     // file name -> bytes, for saving beside a model

  private BertEncoder(BertConfig config, BertEmbeddings embeddings, List<BertLayer> layers,
      Map<String, Tensor> parameters, Tokenizer tokenizer, Device device, int maxLength, BertPooler pooler,
      Map<String, byte[]> tokenizerFiles) {
    this.config = config;
    this.embeddings = embeddings;
    this.layers = layers;
    this.parameters = parameters;
    this.tokenizer = tokenizer;
    this.device = device;
    this.maxLength = maxLength;
    this.pooler = pooler;
    this.tokenizerFiles = Map.copyOf(tokenizerFiles);
  }

  /** sentence-transformers/all-MiniLM-L6-v2 (pretrained, 6 layers, hidden 384) on CPU, from the classpath. */
  public static BertEncoder miniLm() { return BertLoader.miniLm(Device.CPU); }

  public static BertEncoder miniLm(Device device) { return BertLoader.miniLm(device); }

  /**
   * Builds an encoder from weights in Hugging Face layout/names (see {@link #parameters()});
   * {@code origin} names the source in errors. Every weight the config needs must be present.
   */
  public static BertEncoder fromWeights(BertConfig config, Map<String, Tensor> weights, Tokenizer tokenizer,
      Device device, String origin) {
    try (NativeScope scope = NativeScope.open()) {
      Params p = new Params(weights, device, origin);
      BertEmbeddings emb = BertEmbeddings.load(p, config);
      List<BertLayer> layers = new ArrayList<>();
      for (int i = 0; i < config.numHiddenLayers(); i++) layers.add(BertLayer.load(p, i, config));
      Map<String, Tensor> encoderParams = new java.util.LinkedHashMap<>(p.taken());
      BertPooler pooler = BertPooler.from(p, weights, config);
      p.taken().values().forEach(scope::keep);
      return new BertEncoder(config, emb, List.copyOf(layers), java.util.Collections.unmodifiableMap(encoderParams),
          tokenizer, device, config.maxPositionEmbeddings(), pooler, Map.of());
    }
  }

  /** This encoder with the tokenizer files to write beside a saved model (see {@link #writeTokenizer}). */
  BertEncoder withTokenizerFiles(Map<String, byte[]> files) {
    return new BertEncoder(config, embeddings, layers, parameters, tokenizer, device, maxLength, pooler, files);
  }

  /**
   * Writes the tokenizer files this encoder was loaded with ({@code tokenizer.json}, {@code tokenizer_config.json},
   * ...) into {@code dir}; false when it knows none.
   */
  public boolean writeTokenizer(java.nio.file.Path dir) {
    for (Map.Entry<String, byte[]> f : tokenizerFiles.entrySet()) {
      try {
        org.rlhf4j.common.FileOps.writeAtomically(dir.resolve(f.getKey()), tmp -> java.nio.file.Files.write(tmp, f.getValue()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + dir.resolve(f.getKey()), e);
      }
    }
    return !tokenizerFiles.isEmpty();
  }

  /** The checkpoint's pooler ({@code pooler.dense}), when it had one; not among {@link #parameters()}. */
  public java.util.Optional<BertPooler> pooler() { return java.util.Optional.ofNullable(pooler); }

  /**
   * This encoder with texts truncated to {@code maxLength} tokens by {@link #tokenize}/{@link #embed}
   * (sentence-transformers uses 256 for all-MiniLM-L6-v2). Shares the parameters.
   */
  public BertEncoder withMaxLength(int maxLength) {
    if (maxLength < 2 || maxLength > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("maxLength must be in [2, " + config.maxPositionEmbeddings() + "], got " + maxLength);
    }
    return new BertEncoder(config, embeddings, layers, parameters, tokenizer, device, maxLength, pooler, tokenizerFiles);
  }

  /** Token limit applied by {@link #tokenize}/{@link #embed} (longer texts keep their first tokens and final [SEP]). */
  public int maxLength() { return maxLength; }

  /** Last hidden states for token ids (B, T) and a 0/1 attention mask (B, T): (B, T, H). */
  public Tensor forward(Tensor inputIds, Tensor attentionMask) {
    checkShapes(inputIds, attentionMask);
    Tensor bias = attentionMask.to(ScalarType.Float).neg().add(new Scalar(1.0))   // (B, T), 1 at padding
        .mul(new Scalar(MASKED)).unsqueeze(1).unsqueeze(1);                        // (B, 1, 1, T)
    Tensor x = embeddings.forward(inputIds);                                       // (B, T, H)
    for (BertLayer layer : layers) x = layer.forward(x, bias);                     // (B, T, H)
    return x;
  }

  /** Mean of the last hidden states over real tokens, as sentence-transformers pools: (B, H). */
  public Tensor pooled(Tensor inputIds, Tensor attentionMask) {
    Tensor hidden = forward(inputIds, attentionMask);                               // (B, T, H)
    return Pooling.mean(hidden, attentionMask);                                     // (B, H)
  }

  /** Unit-length sentence embeddings of {@code texts} (mean pooling + L2 normalisation): (B, H). */
  public Tensor embed(List<String> texts) {
    return NativeScope.call(() -> {
      Batch batch = Batch.of(tokenizer, texts, maxLength, device);
      return Pooling.l2Normalise(pooled(batch.inputIds(), batch.attentionMask()));  // (B, H)
    });
  }

  /** Right-padded token ids and mask for {@code texts} (special tokens added, truncated to {@link #maxLength()}). */
  public Batch tokenize(List<String> texts) {
    return Batch.of(tokenizer, texts, maxLength, device);
  }

  private void checkShapes(Tensor ids, Tensor mask) {
    if (ids.dim() != 2 || mask.dim() != 2 || ids.size(0) != mask.size(0) || ids.size(1) != mask.size(1)) {
      throw new IllegalArgumentException("inputIds and attentionMask must both be (B, T), got "
          + java.util.Arrays.toString(ids.sizes().vec().get()) + " and " + java.util.Arrays.toString(mask.sizes().vec().get()));
    }
  }

  public int hiddenSize() { return config.hiddenSize(); }

  public BertConfig config() { return config; }

  public Tokenizer tokenizer() { return tokenizer; }

  public Device device() { return device; }

  /** Trainable tensors (requires_grad) by HF name, in a stable order: embeddings, then layer 0..N-1. */
  @Override public Map<String, Tensor> parameters() { return parameters; }
}
