package org.rlhf4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.evaluation.doctor.RunDoctor;
import org.rlhf4j.evaluation.report.RunReport;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.training.loop.ModelCard;
import org.rlhf4j.training.loop.ModelCheckpoint;

/**
 * What every training command leaves at the top of its output folder: a complete Hugging Face folder (weights,
 * config, tokenizer, chat template, generation config) with a short model card saying how it was trained.
 */
final class RunOutput {
  private RunOutput() {}

  /** dpo, ppo, rloo, grpo: writes the trained {@code policy} with the tokenizer files of --model into {@code out}. */
  static void finalPolicy(String command, Settings s, CausalLM policy, Path out) {
    policy.requiresGrad(false);
    ModelCheckpoint.of(policy).withTokenizer(s.path("model")).withCard(card(command, s, out)).saveFinal(out);
    System.out.println(command + ": report " + report(out));
  }

  /** Writes {@code dir/report.html} from its metrics.jsonl and the run doctor's flags; returns the file. */
  static Path report(Path dir) {
    Path metrics = dir.resolve("metrics.jsonl");
    try {
      long lines;
      try (var l = Files.lines(metrics)) {
        lines = l.filter(x -> !x.isBlank()).count();
      }
      return RunReport.write(dir, RunDoctor.examine(metrics, DoctorWatch.config(lines)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * sft, pretrain, reward: the command saved its model already; adds the card and, for a causal LM, the generation
   * config and chat template.
   */
  static void describe(String command, Settings s, Path out, boolean causalLm) {
    try {
      if (causalLm) {
        ModelCheckpoint.writeGenerationConfig(out);
        ModelCheckpoint.writeChatTemplate(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete the model folder " + out + ": " + e.getMessage(), e);
    }
    card(command, s, out).write(out);
    System.out.println(command + ": report " + report(out));
  }

  private static ModelCard card(String command, Settings s, Path out) {
    Object base = s.has("model") ? s.path("model") : s.has("backbone") ? s.values().get("backbone") : null; // reward --backbone minilm
    return ModelCard.of(command, base, s.has("data") ? s.path("data") : null, s.values())
        .withMetricsOf(out);
  }
}
