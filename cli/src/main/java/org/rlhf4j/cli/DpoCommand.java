package org.rlhf4j.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.DpoLoss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j dpo}: direct preference optimisation on preference pairs. */
@Command(name = "dpo", mixinStandardHelpOptions = true,
    description = {"Direct preference optimisation (TRL DPOTrainer): sigmoid (default), ipo, cdpo or hinge loss.",
        "Data: JSONL/JSON {prompt, chosen, rejected} (plain text). The reference is the --model as loaded.",
        "Settings come from --config (YAML or JSON) and are overridden by flags; effective ones go to OUTPUT/"
            + Settings.FILE + ". Writes metrics.jsonl and checkpoint-<step>/ (Hugging Face layout)."})
public final class DpoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("loss_type", "beta", "label_smoothing", "precompute_ref_log_probs");

  @Mixin TrainFlags flags;
  @Option(names = "--loss-type", description = "sigmoid, ipo, cdpo or hinge (default sigmoid).") String lossType;
  @Option(names = "--beta", description = "Beta (default 0.1).") Double beta;
  @Option(names = "--precompute-ref", description = "Compute reference log-probs once before training.") boolean precompute;

  @Override public Integer call() throws IOException {
    Settings c = flags.settings(KEYS, "model", "data", "output");
    c.put("loss_type", lossType);
    c.put("beta", beta);
    if (precompute) c.put("precompute_ref_log_probs", true);
    DpoConfig d = DpoConfig.defaults(c.path("output"));
    TrainConfig train = c.trainConfig(d.train());
    DpoConfig cfg = d.withVariant(variant(c)).withTrain(train).withBatchSize(c.integer("batch_size", d.batchSize()))
        .withMaxLength(c.integer("max_length", d.maxLength())).withPrecomputeReference(c.bool("precompute_ref_log_probs", false));
    var pairs = DataFiles.readPreferences(c.path("data"));
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"));
      c.write(train.outputDir());
      var r = DoctorWatch.around(train.outputDir(), train.maxSteps() / Math.max(1, train.logEvery()), System.err,
          () -> DpoTrainer.run(policy, policy.copy(DType.F32), pairs, tok, cfg));
      System.out.printf(Locale.ROOT, "dpo: final loss %.4f, rewards/margins %.4f; checkpoints in %s%n",
          r.train().finalLoss(), r.lastMetrics().getOrDefault("rewards/margins", Double.NaN), train.outputDir());
    }
    return 0;
  }

  private static DpoLoss.Variant variant(Settings c) {
    double beta = c.number("beta", 0.1);
    try {
      return switch (c.string("loss_type", "sigmoid").toLowerCase(Locale.ROOT)) {
        case "sigmoid" -> new DpoLoss.Sigmoid(beta);
        case "ipo" -> new DpoLoss.Ipo(beta);
        case "cdpo", "conservative" -> new DpoLoss.Conservative(beta, c.number("label_smoothing", 0.1));
        case "hinge" -> new DpoLoss.Hinge(beta);
        default -> throw new UserError("loss_type must be sigmoid, ipo, cdpo or hinge, got '" + c.string("loss_type", "") + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
