package org.rlhf4j.training.reward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.batch.Batch;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Overflow;
import org.rlhf4j.training.batch.Row;

/**
 * A reward model: a causal LM's backbone (its final hidden states) and a {@link ScalarHead}
 * ({@code score.weight}) read at the last real token of prompt + response.
 *
 * <p>Saved as Hugging Face {@code *ForSequenceClassification} ({@code num_labels: 1}): the backbone's
 * tensors without {@code lm_head.weight} plus {@code score.weight} in one {@code model.safetensors},
 * and the tokenizer files when known, so {@code AutoModelForSequenceClassification} loads it.
 */
public final class RewardModel implements HasParameters {
  static final String LM_HEAD = "lm_head.weight";
  private static final int SCORE_BATCH = 16;

  private final CausalLM backbone;
  private final ScalarHead head;
  private final Tokenizer tokenizer; // may be null
  private final Path tokenizerDir;   // may be null
  private final boolean tiedInSource;
  private final int padId;
  private final Map<String, Tensor> parameters;
  private int maxLength;

  private RewardModel(CausalLM backbone, ScalarHead head, Tokenizer tokenizer, Path tokenizerDir, boolean tiedInSource,
      Integer padId) {
    this.backbone = backbone;
    this.head = head;
    this.tokenizer = tokenizer;
    this.tokenizerDir = tokenizerDir;
    this.tiedInSource = tiedInSource;
    this.padId = padId != null ? padId : tokenizer != null ? tokenizer.padId() : backbone.config().eosTokenId();
    this.maxLength = backbone.config().maxPositions();
    Map<String, Tensor> p = new LinkedHashMap<>(backbone.parameters());
    p.remove(LM_HEAD); // a sequence classifier has no language-model head
    p.putAll(head.parameters());
    this.parameters = Collections.unmodifiableMap(p);
  }

  /** A new reward model on {@code backbone} with a fresh score head (seeded). {@code tok} may be null. */
  public static RewardModel init(CausalLM backbone, Tokenizer tok, long seed) {
    ScalarHead h = ScalarHead.random(ScalarHead.Kind.SCORE, backbone.config().hiddenSize(), seed, backbone.device());
    return new RewardModel(backbone, h, tok, null, backbone.config().tieWordEmbeddings(), null);
  }

  /** A new reward model on {@code backbone} whose tokenizer files are in {@code tokenizerDir} (may be null). */
  public static RewardModel init(CausalLM backbone, Path tokenizerDir, long seed) {
    RewardModel rm = init(backbone, tokenizerIn(tokenizerDir), seed);
    return new RewardModel(rm.backbone, rm.head, rm.tokenizer, tokenizerDir, rm.tiedInSource, null);
  }

  /** A new reward model from a base or SFT model folder (its tokenizer too, when the folder has one). */
  public static RewardModel init(Path lmDir, long seed) {
    return init(CausalLM.load(lmDir), lmDir, seed);
  }

  /** Loads a reward model saved by {@link #save} (or any single-label Llama/Qwen2/GPT-2 sequence classifier). */
  public static RewardModel load(Path dir) {
    return RewardModelIO.load(dir, Device.CPU);
  }

  /** @param padId config.json's {@code pad_token_id}, or null (then the tokenizer's, else EOS) */
  static RewardModel of(CausalLM backbone, ScalarHead head, Path tokenizerDir, boolean tiedInSource, Integer padId) {
    return new RewardModel(backbone, head, tokenizerIn(tokenizerDir), tokenizerDir, tiedInSource, padId);
  }

  /** Writes the model as a Hugging Face sequence classifier into {@code dir}. */
  public void save(Path dir) {
    RewardModelIO.save(this, dir);
    try {
      Tokenizer.copyFiles(tokenizerDir, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy tokenizer files to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Rewards of a batch: ids (B, T), mask (B, T) 0/1 (left or right padding) to (B). The score is read where
   * transformers' {@code *ForSequenceClassification} reads it: at the rightmost token that is not
   * {@link #padId()} (position 0 when a row is all padding), so the same ids score the same in both. With a pad id
   * distinct from EOS that is the appended EOS; where pad = EOS, the last token before it.
   */
  public Tensor rewards(Tensor ids, Tensor mask) {
    Tensor hidden = backbone.hidden(ids, mask);        // (B, T, C)
    Tensor all = head.forward(hidden);                 // (B, T)
    return all.gather(1, poolIndex(ids, padId)).squeeze(1); // (B)
  }

  /** transformers' pooling index: the rightmost position whose id is not {@code padId}, (B, 1). */
  static Tensor poolIndex(Tensor ids, int padId) {
    Tensor notPad = ids.ne(new org.bytedeco.pytorch.Scalar((long) padId)).to(org.bytedeco.pytorch.global.torch.ScalarType.Long); // (B, T)
    Tensor pos = org.bytedeco.pytorch.global.torch.arange(new org.bytedeco.pytorch.Scalar(ids.size(1)),
        org.rlhf4j.runtime.Tensors.options(org.rlhf4j.runtime.DType.I64, Device.CPU)).to(ids.device(), org.bytedeco.pytorch.global.torch.ScalarType.Long); // (T)
    return org.bytedeco.pytorch.global.torch.argmax(notPad.mul(pos), new org.bytedeco.pytorch.LongOptional(1), true); // (B, 1)
  }

  /** Rewards of padded rows (B). */
  public Tensor rewards(Batch b) { return rewards(b.ids(), b.attentionMask()); }

  /** Rewards of (prompt, response) pairs, in order. */
  public double[] score(List<PromptCompletion> items) {
    Encoder enc = encoder();
    LengthPolicy policy = new LengthPolicy(maxLength, Overflow.TRUNCATE_PROMPT_LEFT);
    List<Row> rows = new ArrayList<>(items.size());
    for (PromptCompletion pc : items) {
      rows.add(policy.fit(List.of(enc.encode(pc.prompt(), pc.completion()))).kept().get(0).toRow());
    }
    return scoreRows(rows);
  }

  /** Rewards of tokenised prompt + response rows (the token-level entry point), without gradients, in chunks. */
  public double[] scoreRows(List<Row> rows) {
    double[] out = new double[rows.size()];
    for (int start = 0; start < rows.size(); start += SCORE_BATCH) {
      List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + SCORE_BATCH));
      try (NativeScope scope = NativeScope.open()) {
        new NoGradGuard(); // freed with the scope
        Tensor r = rewards(Batch.collate(chunk, padId(), backbone.device())); // (b)
        float[] v = org.rlhf4j.runtime.Tensors.toFloats(r.to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
        for (int i = 0; i < v.length; i++) out[start + i] = v[i];
      }
    }
    return out;
  }

  /**
   * Fraction of comparisons in tokenised groups where the preferred side gets the strictly higher reward
   * (probability above 0.5 marks the preferred side; comparisons at exactly 0.5 are skipped).
   */
  public double accuracy(List<Group> groups) {
    List<Row> rows = new ArrayList<>();
    for (Group g : groups) rows.addAll(g.responses());
    double[] r = scoreRows(rows);
    int offset = 0, n = 0, right = 0;
    for (Group g : groups) {
      for (int k = 0; k < g.pairs(); k++) {
        double p = g.prob()[k];
        if (p == 0.5) continue;
        double diff = r[offset + g.chosen()[k]] - r[offset + g.rejected()[k]];
        n++;
        if (p > 0.5 ? diff > 0 : diff < 0) right++;
      }
      offset += g.responses().size();
    }
    return n == 0 ? Double.NaN : (double) right / n;
  }

  /**
   * The pad id of this model's batches and of its saved {@code config.json} ({@code pad_token_id}): the loaded
   * config's, else the tokenizer's, else EOS. Scores are pooled at the rightmost non-pad token ({@link #rewards}).
   */
  public int padId() { return padId; }

  /** Accuracy on preference pairs and how many pairs counted. */
  public record Accuracy(double accuracy, int n) {}

  /**
   * Fraction of pairs where the preferred response gets the strictly higher reward. For soft
   * labels the preferred side is the one with probability above 0.5; pairs at exactly 0.5 are skipped.
   */
  public Accuracy pairwiseAccuracy(List<PreferencePair> pairs) {
    List<PromptCompletion> items = new ArrayList<>(2 * pairs.size());
    for (PreferencePair p : pairs) {
      items.add(new PromptCompletion(p.prompt(), p.chosen()));
      items.add(new PromptCompletion(p.prompt(), p.rejected()));
    }
    double[] r = score(items);
    int n = 0, right = 0;
    for (int i = 0; i < pairs.size(); i++) {
      double p = pairs.get(i).chosenProbability();
      if (p == 0.5) continue;
      double diff = r[2 * i] - r[2 * i + 1];
      n++;
      if (p > 0.5 ? diff > 0 : diff < 0) right++;
    }
    return new Accuracy(n == 0 ? Double.NaN : (double) right / n, n);
  }

  /** Turns gradient tracking on or off for every reward-model parameter (never for an unused lm_head). */
  public RewardModel requiresGrad(boolean on) {
    if (backbone.adapters().isPresent()) { // LoRA: the adapters and the score head train, the base stays frozen
      backbone.requiresGrad(on);
      head.parameters().values().forEach(t -> t.requires_grad_(on));
      return this;
    }
    backbone.parameters().forEach((k, t) -> t.requires_grad_(on && !k.equals(LM_HEAD)));
    head.parameters().values().forEach(t -> t.requires_grad_(on));
    return this;
  }

  /** Token budget of one scored sequence (prompt cut from the left beyond it); default max_position_embeddings. */
  public RewardModel maxLength(int tokens) {
    if (tokens < 2) throw new IllegalArgumentException("maxLength must be >= 2, got " + tokens);
    this.maxLength = tokens;
    return this;
  }

  public int maxLength() { return maxLength; }

  @Override public Map<String, Tensor> parameters() { return parameters; }

  /** What a trainer optimizes: these parameters, or with LoRA adapters on the backbone, the adapters and the score head. */
  public HasParameters trainable() {
    var lora = backbone.adapters();
    if (lora.isEmpty()) return this;
    Map<String, Tensor> m = new LinkedHashMap<>(lora.get().parameters());
    m.putAll(head.parameters());
    Map<String, Tensor> view = Collections.unmodifiableMap(m);
    return () -> view;
  }

  public CausalLM backbone() { return backbone; }
  Path tokenizerDir() { return tokenizerDir; }
  public ScalarHead head() { return head; }
  public ModelConfig config() { return backbone.config(); }
  public Device device() { return backbone.device(); }
  boolean tiedInSource() { return tiedInSource; }

  /** The tokenizer, required by the text-level methods. */
  public Tokenizer tokenizer() {
    if (tokenizer == null) throw new IllegalStateException("this reward model has no tokenizer (no tokenizer.json in its folder)");
    return tokenizer;
  }

  public boolean hasTokenizer() { return tokenizer != null; }

  Encoder encoder() { return new Encoder(tokenizer()); }

  private static Tokenizer tokenizerIn(Path dir) {
    return dir != null && Files.isRegularFile(dir.resolve("tokenizer.json")) ? Tokenizer.load(dir) : null;
  }
}
