package org.rlhf4j.training.sft;

import org.rlhf4j.common.Reporter;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.LengthPolicy;
import org.rlhf4j.training.batch.Packing;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.batch.Sequence;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.SftLoss;
import org.rlhf4j.training.pretrain.LmTraining;

/**
 * Supervised fine-tuning: next-token loss on the completion tokens of prompt/completion examples
 * (conversations through the model's chat template, EOS appended; see {@link Encoder}). Over-long
 * examples follow {@link SftOptions#overflow()} and are counted in the log.
 *
 * <pre>{@code
 * double loss = SftTrainer.run(model, tok, examples, TrainConfig.defaults(out), SftOptions.defaults());
 * }</pre>
 */
public final class SftTrainer {
  private SftTrainer() {}

  /** Trains and returns the final step's loss; the final model is saved in {@code cfg.outputDir()}. */
  public static double run(CausalLM model, Tokenizer tok, List<PromptCompletion> data, TrainConfig cfg, SftOptions opts) {
    return train(model, tok, data, cfg, opts, null).finalLoss();
  }

  /** @param tokenizerDir folder whose tokenizer files go into checkpoints and the output (may be null) */
  public static TrainResult train(CausalLM model, Tokenizer tok, List<PromptCompletion> data, TrainConfig cfg,
      SftOptions opts, Path tokenizerDir) {
    Encoder enc = new Encoder(tok);
    List<Row> rows = rows(enc, data, opts);
    return LmTraining.train(model, rows, opts.batchSize(), enc.padId(), new SftLoss.Config(opts.reduction()), cfg, tokenizerDir);
  }

  /** The training rows: encoded, fitted to maxLength (counts logged), optionally packed. */
  public static List<Row> rows(Encoder enc, List<PromptCompletion> data, SftOptions opts) {
    if (data.isEmpty()) throw new IllegalArgumentException("sft: no training examples");
    List<Sequence> encoded = data.stream().map(pc -> enc.encodeSft(pc.prompt(), pc.completion())).toList(); // TRL SFTTrainer's ids
    LengthPolicy policy = opts.lengthPolicy();
    LengthPolicy.Fitted fitted = policy.fit(encoded);
    String summary = fitted.summary("sft", policy.maxLength());
    if (!summary.isEmpty()) Reporter.get().info(summary);
    if (fitted.kept().isEmpty()) throw new IllegalArgumentException("sft: every example is longer than maxLength " + policy.maxLength());
    List<Row> rows = fitted.kept().stream().map(s -> opts.completionOnly() ? s.toRow() : Row.allTargets(s.toRow().ids())).toList();
    rows = rows.stream().filter(SftTrainer::hasPredictableTarget).toList();
    if (rows.isEmpty()) throw new IllegalArgumentException("sft: no example has a completion token to learn");
    if (opts.packing()) rows = Packing.pack(rows, policy.maxLength());
    Reporter.get().info("sft: %d examples -> %d rows%s", data.size(), rows.size(), opts.packing() ? " (packed)" : "");
    return rows;
  }

  /** Position 0 has no predecessor, so a row needs a target at index >= 1. */
  private static boolean hasPredictableTarget(Row r) {
    for (int i = 1; i < r.length(); i++) if (r.lossMask()[i] == 1) return true;
    return false;
  }
}
