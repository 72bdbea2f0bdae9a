package org.rlhf4j.training;

import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loop.ModelCard;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.reward.RewardTrainer;
import org.rlhf4j.training.sft.SftOptions;
import org.rlhf4j.training.sft.SftTrainer;

/**
 * The small public entry point for Java applications: train from files and folders in the formats the CLI reads,
 * get Hugging Face folders back. Each method does what the {@code rlhf4j} command of the same name does (without
 * the CLI's flags): it reads the data ({@link DataFiles}: TRL, ShareGPT, HH layouts), trains on the one loop,
 * and leaves a complete Hugging Face folder (weights, config, tokenizer, chat template, generation config, model
 * card) at the top of the output folder. Configuration is the records' defaults ({@link TrainConfig#defaults},
 * {@link SftOptions#defaults}, {@link DpoConfig#defaults}) changed with their withers/builders.
 * See {@code docs/java-api.md} for runnable examples and the packages whose API is kept stable.
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.defaults(Path.of("runs/sft")).toBuilder().maxSteps(100).lr(1e-4).build();
 * TrainResult r = Rlhf.sft(Path.of("base-model"), Path.of("sft.jsonl"), cfg, SftOptions.defaults());
 * }</pre>
 */
public final class Rlhf {
  private Rlhf() {}

  /** Supervised fine-tuning of the model in {@code modelDir} on prompt/completion or conversation data. */
  public static TrainResult sft(Path modelDir, Path data, TrainConfig cfg, SftOptions opts) {
    List<PromptCompletion> rows = DataFiles.readPromptCompletions(data);
    try (Tokenizer tok = Tokenizer.load(modelDir)) {
      CausalLM model = CausalLM.load(modelDir);
      TrainResult r = SftTrainer.train(model, tok, rows, cfg, opts, modelDir);
      card("sft", modelDir, data, cfg.toMap(), cfg.outputDir());
      return r;
    }
  }

  /**
   * A Bradley-Terry reward model on preference pairs: a new score head on the causal LM in {@code modelDir} (or the
   * reward model there, trained further); the output is a {@code *ForSequenceClassification} folder.
   */
  public static TrainResult reward(Path modelDir, Path data, TrainConfig cfg, RewardOptions opts) {
    RewardModel rm = RewardModel.init(modelDir, cfg.seed());
    TrainResult r = RewardTrainer.train(rm, DataFiles.readPreferences(data), cfg, opts, null);
    new ModelCard("reward", modelDir.toString(), data.toString(), cfg.toMap(), null).withMetricsOf(cfg.outputDir()).write(cfg.outputDir());
    return r;
  }

  /** Scores of {@code items} (prompt, completion) by the reward model in {@code rewardModelDir}, as transformers pools. */
  public static double[] score(Path rewardModelDir, List<PromptCompletion> items) {
    return RewardModel.load(rewardModelDir).requiresGrad(false).score(items);
  }

  /**
   * Direct preference optimisation (or any {@link DpoConfig#variant()}: IPO, SimPO, ORPO, ...) of the model in
   * {@code modelDir} on preference pairs, against a frozen copy of it; the policy is saved at the top of
   * {@code cfg.train().outputDir()}.
   */
  public static DpoTrainer.DpoResult dpo(Path modelDir, Path data, DpoConfig cfg) {
    var pairs = DataFiles.readPreferences(data);
    try (Tokenizer tok = Tokenizer.load(modelDir)) {
      CausalLM policy = CausalLM.load(modelDir);
      CausalLM reference = cfg.variant().needsReference() ? policy.frozenReference() : null; // no weight copy
      DpoTrainer.DpoResult r = DpoTrainer.run(policy, reference, pairs, tok, cfg);
      policy.requiresGrad(false);
      Path out = cfg.train().outputDir();
      ModelCheckpoint.of(policy).withTokenizer(modelDir)
          .withCard(ModelCard.of("dpo", modelDir, data, cfg.train().toMap()).withMetricsOf(out)).saveFinal(out);
      return r;
    }
  }

  private static void card(String method, Path base, Path data, java.util.Map<String, Object> settings, Path out) {
    try {
      ModelCheckpoint.writeGenerationConfig(out);
      ModelCheckpoint.writeChatTemplate(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot complete the model folder " + out + ": " + e.getMessage(), e);
    }
    ModelCard.of(method, base, data, settings).withMetricsOf(out).write(out);
  }
}
