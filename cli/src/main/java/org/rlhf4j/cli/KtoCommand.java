package org.rlhf4j.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.training.kto.KtoConfig;
import org.rlhf4j.training.kto.KtoTrainer;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.KtoLoss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j kto}: KTO (and BCO) on unpaired thumbs-up/down completions. */
@Command(name = "kto", mixinStandardHelpOptions = true,
    description = {"Kahneman-Tversky optimisation on unpaired labelled completions (TRL KTOTrainer): loss types kto",
        "(default), apo_zero_unpaired, bco (TRL BCOTrainer without UDM). Data: JSONL/JSON {prompt, completion, label: bool}",
        "(TRL's unpaired format, also {messages, label}; the feedback service's unpaired export). The reference is the",
        "--model as loaded. Settings from --config, overridden by flags; effective ones in OUTPUT/" + Settings.FILE + ".",
        "Writes metrics.jsonl, checkpoint-<step>/ and the final model with its tokenizer in OUTPUT (Hugging Face layout)."})
public final class KtoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Settings.union(Settings.OFFLINE, Set.of("loss_type", "beta", "desirable_weight", "undesirable_weight"));

  @Mixin TrainFlags flags;
  @Mixin LengthFlag length;
  @Option(names = "--loss-type", description = "kto (default), apo_zero_unpaired or bco.") String lossType;
  @Option(names = "--beta", description = "Beta (default 0.1).") Double beta;
  @Option(names = "--desirable-weight", description = "Weight of desirable completions' losses (default 1).") Double desirableWeight;
  @Option(names = "--undesirable-weight", description = "Weight of undesirable completions' losses (default 1).") Double undesirableWeight;

  @Override public Integer call() throws IOException {
    Settings c = flags.settings(KEYS, "model", "data", "output");
    length.apply(c);
    c.put("loss_type", lossType);
    c.put("beta", beta);
    c.put("desirable_weight", desirableWeight);
    c.put("undesirable_weight", undesirableWeight);
    KtoConfig d = KtoConfig.defaults(c.path("output"));
    TrainConfig train = c.trainConfig(d.train());
    KtoConfig cfg;
    try {
      cfg = d.withVariant(variant(c)).withTrain(train).withBatchSize(c.integer("batch_size", d.batchSize()))
          .withMaxLength(c.integer("max_length", d.maxLength()));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage().replace("batchSize", "--batch-size"));
    }
    var rows = PiiScreen.screen(c, "--data", DataFiles.readUnpaired(c.path("data")), PiiRecords::unpaired);
    long good = rows.stream().filter(r -> r.desirable()).count();
    if (cfg.variant() instanceof KtoLoss.Kto k) balanceWarning(good, rows.size() - good, k);
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"), c.device());
      LoraSettings.attach(c, policy, c.path("model"));
      c.checkContext(policy, "max_length");
      CausalLM reference = policy.frozenReference();
      c.write(train.outputDir());
      ModelCheckpoint io = ModelCheckpoint.of(policy).withTokenizer(c.path("model"));
      var r = DoctorWatch.around(train.outputDir(), train.maxSteps() / Math.max(1, train.logEvery()), System.err,
          () -> KtoTrainer.run(policy, reference, rows, tok, cfg, io));
      io.saveFinal(train.outputDir());
      RunOutput.describe("kto", c, train.outputDir(), true); // model card and report.html, as every training command
      System.out.printf(Locale.ROOT, "kto: %d desirable, %d undesirable; final loss %.4f, kl %.4f; model in %s%n", good,
          rows.size() - good, r.train().finalLoss(), r.lastMetrics().getOrDefault("kl", Double.NaN), train.outputDir());
    }
    return 0;
  }

  /** TRL's advice: desirable_weight * #desirable / (undesirable_weight * #undesirable) within [1, 4/3]. */
  static void balanceWarning(long good, long bad, KtoLoss.Kto k) {
    if (good == 0 || bad == 0) {
      System.err.printf(Locale.ROOT, "kto: warning: the data has %d desirable and %d undesirable examples; KTO learns"
          + " best from both%n", good, bad);
      return;
    }
    double ratio = k.desirableWeight() * good / (k.undesirableWeight() * bad);
    if (ratio < 1 || ratio > 4.0 / 3) {
      System.err.printf(Locale.ROOT, "kto: warning: desirable_weight * %d / (undesirable_weight * %d) = %.2f is outside"
          + " [1, 4/3] (the KTO paper's advice); e.g. --undesirable-weight %.3g%n", good, bad, ratio,
          k.desirableWeight() * good / bad);
    }
  }

  static KtoLoss.Variant variant(Settings c) {
    double beta = c.number("beta", 0.1);
    double dw = c.number("desirable_weight", 1), uw = c.number("undesirable_weight", 1);
    String type = c.string("loss_type", "kto");
    try {
      return switch (type) {
        case "kto" -> new KtoLoss.Kto(beta, dw, uw);
        case "apo_zero_unpaired" -> new KtoLoss.ApoZeroUnpaired(beta, dw, uw);
        case "bco" -> new KtoLoss.Bco(beta);
        default -> throw new UserError("--loss-type must be kto, apo_zero_unpaired or bco, got '" + type + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
