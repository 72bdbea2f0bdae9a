package org.rlhf4j.models;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.models.nn.Projection;
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
  private final org.rlhf4j.models.nn.PackedWeight lmHeadPack; // its prepacked copy for few-row decoding, shared with reference views
  private final Device device;
  private final Map<String, Projection> projections;
  private final CausalLM adaptersOf; // a reference view: runs adaptersOf's layers with its adapters switched off
  private LoraModel adapters;
  private boolean checkpointing;

  /** Logits (B, T, V) and final-norm hidden states (B, T, C). */
  public record Output(Tensor logits, Tensor hidden) {}

  CausalLM(ModelConfig config, Map<String, Tensor> parameters, String source, Device device) {
    this.config = config;
    this.device = device;
    Weights w = new Weights(parameters, source);
    this.backbone = config.family().backbone(config, w);
    this.lmHead = config.tieWordEmbeddings() ? backbone.embeddingWeight()
        : w.take("lm_head.weight", config.vocabSize(), config.hiddenSize());
    this.lmHeadPack = new org.rlhf4j.models.nn.PackedWeight();
    var unused = w.unused();
    unused.remove("lm_head.weight"); // a tied checkpoint may still carry a copy
    if (!unused.isEmpty()) {
      throw new org.rlhf4j.runtime.CheckpointException(source + ": " + unused.size() + " tensors do not belong to a "
          + config.family().modelType() + " model of this config, e.g. '" + unused.iterator().next() + "'");
    }
    Map<String, Tensor> params = new LinkedHashMap<>(parameters);
    if (config.tieWordEmbeddings()) params.remove("lm_head.weight");
    this.parameters = java.util.Collections.unmodifiableMap(params);
    this.projections = w.projections();
    this.adaptersOf = null;
  }

  private CausalLM(CausalLM of) {
    this.config = of.config;
    this.device = of.device;
    this.backbone = of.backbone;
    this.lmHead = of.lmHead;
    this.lmHeadPack = of.lmHeadPack;
    this.parameters = of.parameters;
    this.projections = of.projections;
    this.adaptersOf = of;
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

  /**
   * Turns gradient tracking on or off: for every parameter, or, with adapters attached, for the adapters
   * only (the base weights stay frozen, as in PEFT).
   */
  public CausalLM requiresGrad(boolean on) {
    boolean base = on && adapters == null;
    for (Tensor t : parameters.values()) t.requires_grad_(base);
    if (adapters != null) adapters.requiresGrad(on);
    return this;
  }

  /**
   * Gradient (activation) checkpointing per transformer block for forwards that record gradients
   * ({@link Checkpointing}): block activations are recomputed in backward instead of kept (the same gradients,
   * less memory, about one more forward); backward must then run through {@code runtime.Backprop.backward}, as
   * the training loop's does. The {@link #withoutAdapters()} view never checkpoints (it trains nothing).
   */
  public CausalLM gradientCheckpointing(boolean on) {
    if (adaptersOf != null) throw new IllegalStateException("set gradient checkpointing on the model, not on its withoutAdapters() view");
    this.checkpointing = on;
    return this;
  }

  /** Whether forwards that record gradients checkpoint each block. */
  public boolean gradientCheckpointing() { return checkpointing; }

  /** What a trainer optimizes: the attached adapters (PEFT names), else this model's parameters. */
  public HasParameters trainable() { return adapters != null ? adapters : this; }

  /** Every Linear/Conv1D of the decoder by module name ({@code model.layers.0.self_attn.q_proj}, ...). */
  public Map<String, Projection> projections() { return projections; }

  /** The attached LoRA adapters, if any. */
  public Optional<LoraModel> adapters() { return Optional.ofNullable(adapters); }

  /** Attaches fresh LoRA adapters ({@code seed} draws lora_A; lora_B starts at zero, so outputs are unchanged). */
  public LoraModel addAdapters(LoraConfig cfg, long seed) {
    return attach(LoraModel.create(this, cfg, seed));
  }

  /** Attaches the adapters of a PEFT folder ({@code adapter_config.json} + {@code adapter_model.safetensors}). */
  public LoraModel loadAdapters(Path dir) {
    return attach(LoraModel.load(this, dir));
  }

  /** Attaches the adapters of a PEFT folder saved for {@code task} (a reward model's: {@code PeftTask.SEQ_CLS}). */
  public LoraModel loadAdapters(Path dir, org.rlhf4j.models.lora.PeftTask task) {
    return attach(LoraModel.load(this, dir, task));
  }

  /** Folds the adapters into the base weights and removes them ({@code merge_and_unload}): a plain model again. */
  public CausalLM mergeAndUnload() {
    if (adapters == null) throw new IllegalStateException("mergeAndUnload: no adapters attached");
    adapters.merge();
    adapters.detach();
    adapters = null;
    return this;
  }

  /**
   * This model with its adapters switched off, sharing every weight (no copy): the frozen reference of DPO/PPO
   * when the policy trains adapters. Without adapters it computes what this model computes.
   */
  public CausalLM withoutAdapters() {
    if (adaptersOf != null) return this;
    return new CausalLM(this);
  }

  /**
   * The frozen reference of DPO/PPO/GRPO: with adapters attached, {@link #withoutAdapters()} (the base itself, no
   * second copy of the weights, as TRL does with PEFT); otherwise a deep copy of the weights as they are now.
   */
  public CausalLM frozenReference() {
    return adapters != null ? withoutAdapters() : copy(dtype());
  }

  private LoraModel attach(LoraModel a) {
    if (adaptersOf != null) throw new IllegalStateException("cannot attach adapters to a withoutAdapters() view");
    if (adapters != null) throw new IllegalStateException("this model already has adapters attached");
    a.install();
    adapters = a;
    return a;
  }

  private <T> T run(java.util.function.Supplier<T> body) {
    LoraModel a = adaptersOf == null ? null : adaptersOf.adapters;
    if (a == null) return body.get();
    if (a.merged()) throw new IllegalStateException("withoutAdapters(): the adapters are merged into the weights; unmerge them first");
    return a.disabled(body);
  }

  /** A deep copy of the base weights without adapters (e.g. the frozen reference policy), optionally in another dtype. */
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
    return run(() -> hiddenStates(ids, mask));
  }

  private Tensor hiddenStates(Tensor ids, Tensor mask) {
    long t = ids.size(1);
    Tensor positions;
    Tensor attn = null;
    if (mask == null) {
      positions = torch.arange(new org.bytedeco.pytorch.Scalar(t), Tensors.options(DType.I64, device)).unsqueeze(0).expand(ids.size(0), t); // (B, T)
    } else {
      positions = Masks.positionsFromMask(mask);    // (B, T)
      attn = Masks.causal(mask, 0, (int) t);        // (B, 1, T, T)
    }
    return backbone.forward(ids, new AttentionContext(positions, attn, null, checkpointing)); // (B, T, C)
  }

  /**
   * Causal next-token log-probs (B, T-1) from ids (B, T) (mask (B, T) or null), entry t = log p(ids[t+1] | ..t),
   * through {@link TokenLogprobs} a chunk of {@code chunkTokens} tokens at a time (0: auto, about 64 MB of logits
   * per chunk; -1: the whole batch at once), so the (B, T, V) logits are never materialised. Equal to
   * log_softmax(forward(ids, mask).logits()[:, :-1]) gathered at ids[:, 1:].
   */
  public Tensor tokenLogprobs(Tensor ids, Tensor mask, long chunkTokens) {
    long t = ids.size(1);
    if (t < 2) throw new IllegalArgumentException("token log-probs need T >= 2 positions, got " + t);
    Tensor hidden = hidden(ids, mask).narrow(1, 0, t - 1);                        // (B, T-1, C)
    return TokenLogprobs.compute(hidden, lmHead, ids.narrow(1, 1, t - 1), chunkTokens); // (B, T-1)
  }

  /** The LM head weight (V, C) (the token embedding when tied). */
  public Tensor lmHeadWeight() { return lmHead; }

  /** Projects hidden states (B, T, C) to vocabulary logits (B, T, V). */
  public Tensor logits(Tensor hidden) {
    return org.rlhf4j.models.nn.ThinMatmul.linear(hidden.to(lmHead.scalar_type()), lmHead, null, lmHeadPack); // (B, T, V); few rows: gemv/prepacked
  }

  /**
   * One cached step: new tokens (B, T) with their validity (B, T) (null: all real, no padding) and positions (B, T);
   * the cache grows by T.
   */
  public Output forwardCached(Tensor ids, Tensor valid, Tensor positions, KvCache cache) {
    return run(() -> cachedStep(ids, valid, positions, cache));
  }

  /**
   * A cached step that projects only the last position to the vocabulary: the next-token logits (B, V) decoding
   * needs, without the (B, T, V) logits of a whole prompt (as transformers' {@code logits_to_keep=1}).
   */
  public Tensor nextLogits(Tensor ids, Tensor valid, Tensor positions, KvCache cache) {
    return run(() -> {
      Tensor hidden = cachedHidden(ids, valid, positions, cache);                   // (B, T, C)
      return logits(hidden.narrow(1, hidden.size(1) - 1, 1)).squeeze(1);          // (B, V)
    });
  }

  private Output cachedStep(Tensor ids, Tensor valid, Tensor positions, KvCache cache) {
    Tensor hidden = cachedHidden(ids, valid, positions, cache); // (B, T, C)
    return new Output(logits(hidden), hidden);
  }

  private Tensor cachedHidden(Tensor ids, Tensor valid, Tensor positions, KvCache cache) {
    int t = (int) ids.size(1);
    if (valid == null) cache.appendAllValid(t);
    else cache.appendMask(valid);
    // Unpadded: one new token sees every key, and a first chunk is plain causal; no (B, 1, T, S) mask to build
    boolean maskless = cache.unpadded() && (t == 1 || cache.length() == 0);
    Tensor attn = maskless ? null : Masks.causal(cache.validUpTo(t), cache.length(), t); // (B, 1, T, S)
    Tensor hidden = backbone.forward(ids, new AttentionContext(positions, attn, cache)); // (B, T, C)
    cache.advance(t);
    return hidden;
  }

  /** The dtype the parameters are stored in. */
  public DType dtype() { return DType.of(lmHead.scalar_type()); }
}
