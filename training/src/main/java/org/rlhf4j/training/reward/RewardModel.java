package org.rlhf4j.training.reward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.bert.BertEncoder;
import org.rlhf4j.models.bert.BertLoader;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.batch.Batch;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Overflow;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.batch.Sequence;

/**
 * A reward model: a backbone and a scalar head, scoring prompt + response. Two backbones
 * ({@link RewardBackbone}): a causal LM's final hidden states read by {@code score.weight} at the last real token
 * (saved as Hugging Face {@code *ForSequenceClassification}, the backbone's tensors without {@code lm_head.weight}
 * plus {@code score.weight}), or a BERT-family encoder's pooled output read by {@code classifier.weight/bias}
 * (saved as {@code BertForSequenceClassification}). Either is saved with its tokenizer files, {@code num_labels: 1},
 * so {@code AutoModelForSequenceClassification} loads it.
 */
public final class RewardModel implements HasParameters {
  static final String LM_HEAD = CausalBackbone.LM_HEAD;
  private static final int SCORE_BATCH = 16;

  private final RewardBackbone backbone;
  private int maxLength;

  private RewardModel(RewardBackbone backbone) {
    this.backbone = backbone;
    this.maxLength = backbone.maxPositions();
  }

  /** A new reward model on {@code backbone} with a fresh score head (seeded). {@code tok} may be null. */
  public static RewardModel init(CausalLM backbone, Tokenizer tok, long seed) {
    ScalarHead h = ScalarHead.random(ScalarHead.Kind.SCORE, backbone.config().hiddenSize(), seed, backbone.device());
    return new RewardModel(new CausalBackbone(backbone, h, tok, null, backbone.config().tieWordEmbeddings(), null));
  }

  /** A new reward model on {@code backbone} whose tokenizer files are in {@code tokenizerDir} (may be null). */
  public static RewardModel init(CausalLM backbone, Path tokenizerDir, long seed) {
    ScalarHead h = ScalarHead.random(ScalarHead.Kind.SCORE, backbone.config().hiddenSize(), seed, backbone.device());
    return new RewardModel(new CausalBackbone(backbone, h, tokenizerIn(tokenizerDir), tokenizerDir,
        backbone.config().tieWordEmbeddings(), null));
  }

  /**
   * A new reward model on a BERT-family encoder (e.g. {@code BertEncoder.miniLm()}): its checkpoint's pooler (a fresh
   * one when it has none) and a fresh {@code classifier} head (seeded) on the pooled output.
   */
  public static RewardModel init(BertEncoder encoder, long seed) {
    return init(encoder, EncoderPooling.CLS, seed);
  }

  /** As {@link #init(BertEncoder, long)}, the pooler reading {@code pooling}'s hidden states ([CLS] or the token mean). */
  public static RewardModel init(BertEncoder encoder, EncoderPooling pooling, long seed) {
    return new RewardModel(EncoderBackbone.init(encoder, pooling, seed));
  }

  /** A new reward model from a base or SFT model folder (its tokenizer too, when the folder has one), or a BERT folder. */
  public static RewardModel init(Path lmDir, long seed) { return init(lmDir, seed, Device.CPU); }

  /** As {@link #init(Path, long)}, on {@code device}. */
  public static RewardModel init(Path lmDir, long seed, Device device) {
    if (EncoderRewardIO.isEncoder(lmDir)) return init(BertLoader.load(lmDir, device), seed);
    return init(CausalLM.load(lmDir, device, org.rlhf4j.runtime.DType.F32), lmDir, seed);
  }

  /**
   * Loads a reward model saved by {@link #save}: any single-label Llama/Qwen2/GPT-2 sequence classifier, or a
   * {@code BertForSequenceClassification}; or a PEFT SEQ_CLS adapter folder (no {@code config.json}) on the base its
   * {@code base_model_name_or_path} names ({@link #load(Path, Path)}).
   */
  public static RewardModel load(Path dir) { return load(dir, Device.CPU); }

  /** As {@link #load(Path)}, on {@code device}. */
  public static RewardModel load(Path dir, Device device) {
    if (!Files.isRegularFile(dir.resolve("config.json")) && LoraModel.isAdapterFolder(dir)) {
      return RewardAdapterIO.load(RewardAdapterIO.baseOf(dir), dir, device);
    }
    return EncoderRewardIO.isEncoder(dir) ? new RewardModel(EncoderRewardIO.load(dir, device)) : RewardModelIO.load(dir, device);
  }

  /**
   * A LoRA reward model: {@code base} (a causal LM folder, or a causal reward model's) with the PEFT SEQ_CLS adapter
   * folder {@code adapter} attached, as {@code reward --lora-r} writes it ({@code adapter/}) and PEFT saves a
   * {@code LoraConfig(task_type="SEQ_CLS")} model: its score head is the adapter's {@code base_model.model.score.weight}
   * (a reward-model base keeps its own when the adapter has none). The adapters stay attached, unmerged.
   */
  public static RewardModel load(Path base, Path adapter) { return RewardAdapterIO.load(base, adapter, Device.CPU); }

  /** @param padId config.json's {@code pad_token_id}, or null (then the tokenizer's, else EOS) */
  static RewardModel of(CausalLM backbone, ScalarHead head, Path tokenizerDir, boolean tiedInSource, Integer padId) {
    return new RewardModel(new CausalBackbone(backbone, head, tokenizerIn(tokenizerDir), tokenizerDir, tiedInSource, padId));
  }

  /** Writes the model as a Hugging Face sequence classifier into {@code dir}. */
  public void save(Path dir) { backbone.save(dir); }

  /**
   * Rewards of a batch: ids (B, T), mask (B, T) 0/1 to (B). A causal backbone reads the score where
   * transformers' {@code *ForSequenceClassification} reads it: at the rightmost token that is not
   * {@link #padId()} (position 0 when a row is all padding), so the same ids score the same in both (left or right
   * padding); with a pad id distinct from EOS that is the appended EOS; where pad = EOS, the last token before it.
   * An encoder backbone reads the pooled output of position 0 ([CLS]; rows right-padded).
   */
  public Tensor rewards(Tensor ids, Tensor mask) { return backbone.rewards(ids, mask); }

  /** transformers' pooling index: the rightmost position whose id is not {@code padId}, (B, 1). */
  static Tensor poolIndex(Tensor ids, int padId) {
    Tensor notPad = ids.ne(new org.bytedeco.pytorch.Scalar((long) padId)).to(org.bytedeco.pytorch.global.torch.ScalarType.Long); // (B, T)
    Tensor pos = org.bytedeco.pytorch.global.torch.arange(new org.bytedeco.pytorch.Scalar(ids.size(1)),
        org.rlhf4j.runtime.Tensors.options(org.rlhf4j.runtime.DType.I64, Device.CPU)).to(ids.device(), org.bytedeco.pytorch.global.torch.ScalarType.Long); // (T)
    return org.bytedeco.pytorch.global.torch.argmax(notPad.mul(pos), new org.bytedeco.pytorch.LongOptional(1), true); // (B, 1)
  }

  /**
   * As {@link #rewards(Tensor, Tensor)}; {@code response} (B, T) 0/1 marks each row's response tokens (a {@link Batch}'s
   * loss mask), which an encoder with {@code response} pooling averages (the two-argument form refuses such a model).
   */
  public Tensor rewards(Tensor ids, Tensor mask, Tensor response) { return backbone.rewards(ids, mask, response); }

  /** Rewards of padded rows (B); the loss mask marks the responses. */
  public Tensor rewards(Batch b) { return rewards(b.ids(), b.attentionMask(), b.lossMask()); }

  /** Rewards of (prompt, response) pairs, in order. */
  public double[] score(List<PromptCompletion> items) {
    LengthPolicy policy = new LengthPolicy(maxLength, Overflow.TRUNCATE_PROMPT_LEFT);
    List<Row> rows = new ArrayList<>(items.size());
    for (PromptCompletion pc : items) rows.add(row(pc.prompt(), pc.completion(), policy));
    return scoreRows(rows);
  }

  /** The model input for (prompt, completion) fitted to {@code policy} (its prompt cut from the left when too long). */
  public Row row(org.rlhf4j.data.Content prompt, org.rlhf4j.data.Content completion, LengthPolicy policy) {
    return rows(prompt, List.of(completion), policy).kept().get(0);
  }

  /** The inputs for one prompt's responses fitted together to {@code policy} (see {@link LengthPolicy#fit}). */
  Fitted rows(org.rlhf4j.data.Content prompt, List<org.rlhf4j.data.Content> completions, LengthPolicy policy) {
    if (!hasTokenizer()) tokenizer();
    List<Sequence> seqs = new ArrayList<>(completions.size());
    for (org.rlhf4j.data.Content c : completions) seqs.add(backbone.encode(prompt, c));
    int reserved = backbone.reserved();
    LengthPolicy.Fitted f = new LengthPolicy(policy.maxLength() - reserved, policy.overflow()).fit(seqs);
    return new Fitted(f.kept().stream().map(backbone::row).toList(), f.promptTruncated() > 0, f.dropped());
  }

  /** Fitted model inputs: the rows kept, whether a prompt was cut, how many were dropped. */
  record Fitted(List<Row> kept, boolean truncated, int dropped) {}

  /** Rewards of tokenised prompt + response rows (the token-level entry point), without gradients, in chunks. */
  public double[] scoreRows(List<Row> rows) {
    double[] out = new double[rows.size()];
    for (int start = 0; start < rows.size(); start += SCORE_BATCH) {
      List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + SCORE_BATCH));
      try (NativeScope scope = NativeScope.open()) {
        new NoGradGuard(); // freed with the scope
        Tensor r = rewards(Batch.collate(chunk, padId(), device())); // (b)
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
  public int padId() { return backbone.padId(); }

  /** Rewards of texts, each scored as a response to an empty prompt (what {@code RewardTrainer.trainLabelled} trains). */
  public double[] scoreTexts(List<String> texts) {
    LengthPolicy policy = new LengthPolicy(maxLength, Overflow.TRUNCATE_PROMPT_LEFT);
    List<Row> rows = new ArrayList<>(texts.size());
    for (String t : texts) rows.add(row(org.rlhf4j.data.Content.text(""), org.rlhf4j.data.Content.text(t), policy));
    return scoreRows(rows);
  }

  /** Fraction of labelled texts whose reward (a logit) has the label's sign: > 0 for label 1, < 0 for label 0. */
  public double classifierAccuracy(List<org.rlhf4j.data.LabelledText> texts) {
    double[] r = scoreTexts(texts.stream().map(org.rlhf4j.data.LabelledText::text).toList());
    int right = 0;
    for (int i = 0; i < r.length; i++) if (texts.get(i).label() == 1 ? r[i] > 0 : r[i] < 0) right++;
    return texts.isEmpty() ? Double.NaN : (double) right / texts.size();
  }

  /** Accuracy on preference pairs and how many pairs counted. */
  public record Accuracy(double accuracy, int n) {}

  /**
   * Fraction of pairs where the preferred response gets the strictly higher reward. For soft
   * labels the preferred side is the one with probability above 0.5; pairs at exactly 0.5 are skipped.
   */
  public Accuracy pairwiseAccuracy(List<PreferencePair> pairs) {
    return accuracy(pairs, differences(pairs));
  }

  /** Each pair's reward difference r(chosen) − r(rejected) (e.g. to ensemble several models' verdicts). */
  public double[] differences(List<PreferencePair> pairs) {
    List<PromptCompletion> items = new ArrayList<>(2 * pairs.size());
    for (PreferencePair p : pairs) {
      items.add(new PromptCompletion(p.prompt(), p.chosen()));
      items.add(new PromptCompletion(p.prompt(), p.rejected()));
    }
    double[] r = score(items);
    double[] d = new double[pairs.size()];
    for (int i = 0; i < d.length; i++) d[i] = r[2 * i] - r[2 * i + 1];
    return d;
  }

  /**
   * Fraction of pairs whose difference (r(chosen) − r(rejected), one per pair) has the label's sign: > 0 when the
   * chosen side's probability is above 0.5, < 0 below; pairs at exactly 0.5 are skipped.
   */
  public static Accuracy accuracy(List<PreferencePair> pairs, double[] differences) {
    if (differences.length != pairs.size()) {
      throw new IllegalArgumentException(differences.length + " differences for " + pairs.size() + " pairs");
    }
    int n = 0, right = 0;
    for (int i = 0; i < pairs.size(); i++) {
      double p = pairs.get(i).chosenProbability();
      if (p == 0.5) continue;
      n++;
      if (p > 0.5 ? differences[i] > 0 : differences[i] < 0) right++;
    }
    return new Accuracy(n == 0 ? Double.NaN : (double) right / n, n);
  }

  /** Turns gradient tracking on or off for every reward-model parameter (never for an unused lm_head). */
  public RewardModel requiresGrad(boolean on) {
    backbone.requiresGrad(on);
    return this;
  }

  /**
   * Partial fine-tuning of an encoder reward model: only the top {@code layers} transformer layers, the pooler and
   * the head train (embeddings and lower layers frozen; 0 = head and pooler only; negative = everything, the
   * default). Backward then stops at the lowest trainable layer, which on a CPU makes a step several times cheaper.
   */
  public RewardModel trainableLayers(int layers) {
    if (!(backbone instanceof EncoderBackbone e)) throw new IllegalArgumentException("trainable layers apply to encoder reward models only");
    e.trainableLayers(layers);
    return this;
  }

  /** Token budget of one scored sequence (prompt cut from the left beyond it); default max_position_embeddings. */
  public RewardModel maxLength(int tokens) {
    if (tokens < 2 + backbone.reserved()) throw new IllegalArgumentException("maxLength must be >= " + (2 + backbone.reserved()) + ", got " + tokens);
    if (tokens > backbone.maxPositions() && backbone instanceof EncoderBackbone) {
      throw new IllegalArgumentException("maxLength " + tokens + " exceeds the encoder's max_position_embeddings " + backbone.maxPositions());
    }
    this.maxLength = tokens;
    return this;
  }

  public int maxLength() { return maxLength; }

  @Override public Map<String, Tensor> parameters() { return backbone.parameters(); }

  /** What a trainer optimizes: these parameters, or with LoRA adapters on a causal backbone, the adapters and the score head. */
  public HasParameters trainable() {
    return backbone instanceof CausalBackbone c && c.lm.adapters().isPresent() ? c.trainable() : this;
  }

  /** The LoRA adapters on a causal backbone; empty without them and for an encoder (which takes none). */
  public Optional<LoraModel> adapters() {
    return backbone instanceof CausalBackbone c ? c.lm.adapters() : Optional.empty();
  }

  /** Whether the backbone is a BERT-family encoder (pooled output + classifier) rather than a causal LM. */
  public boolean isEncoder() { return backbone instanceof EncoderBackbone; }

  /** The causal LM under a causal reward model (where LoRA adapters attach); an encoder reward model has none. */
  public CausalLM backbone() {
    if (backbone instanceof CausalBackbone c) return c.lm;
    throw new IllegalStateException("this reward model's backbone is an encoder (" + describe() + "), not a causal LM");
  }

  /** The score head ({@code score.weight}) or classifier head ({@code classifier.weight/bias}). */
  public ScalarHead head() {
    return backbone instanceof CausalBackbone c ? c.head : ((EncoderBackbone) backbone).head;
  }

  /** Where the causal backbone's tokenizer files are (null when unknown or for an encoder). */
  Path tokenizerDir() { return backbone instanceof CausalBackbone c ? c.tokenizerDir() : null; }

  public Device device() { return backbone.device(); }

  /** What scores: e.g. "BertForSequenceClassification (6 layers, hidden 384)". */
  public String describe() { return backbone.describe(); }

  /** The causal backbone (for the *ForSequenceClassification writer); null for an encoder. */
  CausalBackbone causal() { return backbone instanceof CausalBackbone c ? c : null; }

  /** The tokenizer, required by the text-level methods. */
  public Tokenizer tokenizer() {
    Tokenizer t = backbone.tokenizer();
    if (t == null) throw new IllegalStateException("this reward model has no tokenizer (no tokenizer.json in its folder)");
    return t;
  }

  public boolean hasTokenizer() { return backbone.tokenizer() != null; }

  private static Tokenizer tokenizerIn(Path dir) {
    return dir != null && Files.isRegularFile(dir.resolve("tokenizer.json")) ? Tokenizer.load(dir) : null;
  }
}
