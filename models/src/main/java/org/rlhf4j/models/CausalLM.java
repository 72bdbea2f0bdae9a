package org.rlhf4j.models;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.Tensors;

/**
 * A causal language model of any registered {@link ModelFamily} (Llama, Qwen2, GPT-2) in Hugging
 * Face layout: parameters are kept under their checkpoint names, so what rlhf4j trains saves back to a folder transformers loads.
 */
public final class CausalLM implements HasParameters {
  private final ModelConfig config;
  private final Map<String, Tensor> parameters;
  private final Backbone backbone;
  private final Tensor lmHead; // (V, C)
  private final Device device;

  /** Logits (B, T, V) and final-norm hidden states (B, T, C). */
  public record Output(Tensor logits, Tensor hidden) {}

  CausalLM(ModelConfig config, Map<String, Tensor> parameters, String source, Device device) {
    this.config = config;
    this.device = device;
    Weights w = new Weights(parameters, source);
    this.backbone = config.family().backbone(config, w);
    this.lmHead = config.tieWordEmbeddings() ? backbone.embeddingWeight()
        : w.take("lm_head.weight", config.vocabSize(), config.hiddenSize());
    var unused = w.unused();
    unused.remove("lm_head.weight"); // a tied checkpoint may still carry a copy
    if (!unused.isEmpty()) {
      throw new org.rlhf4j.runtime.CheckpointException(source + ": " + unused.size() + " tensors do not belong to a "
          + config.family().modelType() + " model of this config, e.g. '" + unused.iterator().next() + "'");
    }
    Map<String, Tensor> params = new LinkedHashMap<>(parameters);
    if (config.tieWordEmbeddings()) params.remove("lm_head.weight");
    this.parameters = java.util.Collections.unmodifiableMap(params);
  }

  /** Loads a Hugging Face model folder (config.json + safetensors), weights converted to {@code dtype}. */
  public static CausalLM load(Path dir, Device device, DType dtype) {
    return ModelIO.load(dir, device, dtype);
  }

  /** Loads in float32 on CPU. */
  public static CausalLM load(Path dir) { return load(dir, Device.CPU, DType.F32); }

  /** A freshly initialised model (normal(0, 0.02); residual projections scaled by 1/sqrt(2L)). */
  public static CausalLM random(ModelConfig config, long seed, Device device) {
    return new CausalLM(config, Init.weights(config, seed, device), "random init", device);
  }

  public void save(Path dir) { ModelIO.save(this, dir); }

  public ModelConfig config() { return config; }
  public Device device() { return device; }

  @Override public Map<String, Tensor> parameters() { return parameters; }

  /** Turns gradient tracking on or off for every parameter. */
  public CausalLM requiresGrad(boolean on) {
    for (Tensor t : parameters.values()) t.requires_grad_(on);
    return this;
  }

  /** A deep copy (e.g. the frozen reference policy), optionally in another dtype. */
  public CausalLM copy(DType dtype) {
    Map<String, Tensor> copies = new LinkedHashMap<>();
    for (var e : parameters.entrySet()) copies.put(e.getKey(), e.getValue().detach().to(dtype.scalarType()).clone());
    return new CausalLM(config, copies, "copy", device);
  }

  /** Full forward over a (possibly left-padded) batch. {@code mask} (B, T) of 0/1 may be null (no padding). */
  public Output forward(Tensor ids, Tensor mask) {
    Tensor hidden = hidden(ids, mask);
    return new Output(logits(hidden), hidden);
  }

  /** Final-norm hidden states (B, T, C), for scalar heads. */
  public Tensor hidden(Tensor ids, Tensor mask) {
    long t = ids.size(1);
    Tensor positions;
    Tensor attn = null;
    if (mask == null) {
      positions = torch.arange(new org.bytedeco.pytorch.Scalar(t), Tensors.options(DType.I64, device)).unsqueeze(0).expand(ids.size(0), t); // (B, T)
    } else {
      positions = Masks.positionsFromMask(mask);    // (B, T)
      attn = Masks.causal(mask, 0, (int) t);        // (B, 1, T, T)
    }
    return backbone.forward(ids, new AttentionContext(positions, attn, null)); // (B, T, C)
  }

  /** Projects hidden states (B, T, C) to vocabulary logits (B, T, V). */
  public Tensor logits(Tensor hidden) {
    return torch.linear(hidden.to(lmHead.scalar_type()), lmHead); // (B, T, V)
  }

  /** One cached step: new tokens (B, T) with their validity (B, T) and positions (B, T); the cache grows by T. */
  public Output forwardCached(Tensor ids, Tensor valid, Tensor positions, KvCache cache) {
    int t = (int) ids.size(1);
    cache.appendMask(valid);
    Tensor attn = Masks.causal(cache.validUpTo(t), cache.length(), t); // (B, 1, T, S)
    Tensor hidden = backbone.forward(ids, new AttentionContext(positions, attn, cache)); // (B, T, C)
    cache.advance(t);
    return new Output(logits(hidden), hidden);
  }

  /** The dtype the parameters are stored in. */
  public DType dtype() { return DType.of(lmHead.scalar_type()); }
}
