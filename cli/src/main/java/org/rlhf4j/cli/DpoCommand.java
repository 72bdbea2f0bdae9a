package org.rlhf4j.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.dp.DpSgdConfig;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.loss.DpoVariants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j dpo}: direct preference optimisation and its relatives on preference pairs. */
@Command(name = "dpo", mixinStandardHelpOptions = true,
    description = {"Offline preference optimisation (TRL DPOTrainer loss types, SimPO, ORPO): sigmoid (default), ipo,",
        "cdpo, hinge, robust, bco_pair, apo_zero, apo_down, nca_pair, sppo_hard, exo_pair, aot, aot_pair (aot_unpaired),",
        "simpo, orpo, sft; several at once with --loss-type a,b --loss-weights wa,wb (TRL loss_weights, e.g. MPO).",
        "Data: JSONL/JSON {prompt, chosen, rejected} (plain text). The reference is the --model as loaded; simpo, orpo",
        "and sft load none. Settings come from --config (YAML or JSON) and are overridden by flags; effective ones go to",
        "OUTPUT/" + Settings.FILE + ". Writes metrics.jsonl and checkpoint-<step>/ (Hugging Face layout).",
        "--dp-noise or --dp-epsilon trains with DP-SGD (Poisson sampling, each pair's gradient clipped to --dp-clip, Gaussian",
        "noise; dp/epsilon in metrics.jsonl, privacy.json beside the model)."})
public final class DpoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Settings.union(Settings.OFFLINE, DpFlags.with(Set.of("loss_type", "loss_weights", "beta",
      "label_smoothing", "simpo_gamma", "precompute_ref_log_probs", "logprob_chunk_tokens")));

  @Mixin TrainFlags flags;
  @Mixin LengthFlag length;
  @Option(names = "--loss-type", split = ",", description = "One loss type or a comma-separated list (default sigmoid).")
  List<String> lossType;
  @Option(names = "--loss-weights", split = ",", description = "Weights of the listed loss types (default 1 each).")
  List<Double> lossWeights;
  @Option(names = "--beta", description = "Beta (default 0.1; ORPO's lambda; SimPO's reward scale).") Double beta;
  @Option(names = "--label-smoothing", description = "cdpo/robust: label-flip probability (default 0.1); exo_pair: epsilon (default 1e-3); aot: smoothing (default 0).")
  Double labelSmoothing;
  @Option(names = "--simpo-gamma", description = "SimPO target reward margin (default 0.5).") Double simpoGamma;
  @Option(names = "--precompute-ref", description = "Compute reference log-probs once before training.") boolean precompute;
  @Option(names = "--logprob-chunk-tokens", description = {"Response tokens whose vocabulary logits exist at once (the (B, T, V)",
      "logits are never built; each chunk's are recomputed in backward): 0 auto (~64 MB of f32 logits), -1 all at once."})
  Integer logprobChunkTokens;
  @Mixin DpFlags dpFlags;

  /** {@code logprob_chunk_tokens}: > 0, 0 (auto) or -1 (one chunk), else a UserError naming the flag. */
  static long chunkTokens(Settings c) {
    int n = c.integer("logprob_chunk_tokens", 0);
    if (n < -1) throw new UserError("--logprob-chunk-tokens must be a positive number of tokens, 0 (auto) or -1 (all at once), got " + n);
    return n;
  }

  @Override public Integer call() throws IOException {
    Ranks.join("dpo"); // launch / torchrun variables: this process is one data-parallel rank
    Settings c = flags.settings(KEYS, "model", "data", "output");
    length.apply(c);
    c.put("loss_type", lossType);
    c.put("loss_weights", lossWeights);
    c.put("beta", beta);
    c.put("label_smoothing", labelSmoothing);
    c.put("simpo_gamma", simpoGamma);
    if (precompute) c.put("precompute_ref_log_probs", true);
    c.put("logprob_chunk_tokens", logprobChunkTokens);
    dpFlags.put(c);
    DpoConfig d = DpoConfig.defaults(c.path("output"));
    TrainConfig train = c.trainConfig(d.train());
    DpoConfig cfg = d.withVariant(variant(c)).withTrain(train).withBatchSize(c.integer("batch_size", d.batchSize()))
        .withMaxLength(c.integer("max_length", d.maxLength())).withPrecomputeReference(c.bool("precompute_ref_log_probs", false))
        .withLogprobChunkTokens(chunkTokens(c));
    var pairs = PiiScreen.screen(c, "--data", DataFiles.readPreferences(c.path("data")), PiiRecords::preferences);
    DpSgdConfig dp = DpFlags.config(c, "dpo", pairs.size(), cfg.batchSize(), train);
    if (dp != null && cfg.variant().usesRunningStatistics()) {
      throw new UserError("--loss-type: DP-SGD cannot train " + String.join(",", c.strings("loss_type", List.of()))
          + " (bco_pair keeps a running mean of earlier batches' rewards); use another loss type");
    }
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"), c.device());
      LoraSettings.attach(c, policy, c.path("model"));
      c.checkContext(policy, "max_length");
      CausalLM reference = cfg.variant().needsReference() ? policy.frozenReference() : null;
      if (Ranks.writes()) c.write(train.outputDir());
      var r = DoctorWatch.around(train.outputDir(), train.maxSteps() / Math.max(1, train.logEvery()), System.err,
          () -> dp == null ? DpoTrainer.run(policy, reference, pairs, tok, cfg)
              : DpoTrainer.runPrivately(policy, reference, DpoPair.encode(pairs, tok), cfg, dp));
      if (Ranks.writes()) RunOutput.finalPolicy("dpo", c, policy, train.outputDir());
      System.out.printf(Locale.ROOT, "dpo: final loss %.4f, rewards/margins %.4f; model saved to %s%n",
          r.train().finalLoss(), r.lastMetrics().getOrDefault("rewards/margins", Double.NaN), train.outputDir());
    }
    return 0;
  }

  /** The loss from {@code loss_type} (one name or a list) and {@code loss_weights}. */
  static DpoLoss.Variant variant(Settings c) {
    List<String> types = c.strings("loss_type", List.of("sigmoid"));
    List<Double> weights = c.has("loss_weights") ? c.numbers("loss_weights") : null;
    try {
      Double smoothing = c.has("label_smoothing") ? c.number("label_smoothing", 0) : null;
      Double gamma = c.has("simpo_gamma") ? c.number("simpo_gamma", 0) : null;
      double beta = c.number("beta", 0.1);
      return DpoVariants.mix(types.stream().map(t -> DpoVariants.named(t, beta, smoothing, gamma)).toList(), weights);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
