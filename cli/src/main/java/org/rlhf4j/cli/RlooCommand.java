package org.rlhf4j.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.grpo.GroupConfig;
import org.rlhf4j.training.grpo.GroupTrainer;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.loss.GrpoLoss;
import org.rlhf4j.training.loss.OverlongPenalty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j rloo}: REINFORCE leave-one-out against a reward model (TRL RLOOTrainer defaults). */
@Command(name = "rloo", mixinStandardHelpOptions = true,
    description = {"RLOO: k samples per prompt, leave-one-out baseline, reward = score - kl_coef * KL(policy || reference).",
        "--data: JSONL {\"prompt\"}; --max-steps counts iterations; --batch-size is prompts per iteration."})
public final class RlooCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("reward_model", "reward_adapter", "response_length", "temperature", "kl_coef", "num_generations",
      "num_ppo_epochs", "num_mini_batches", "missing_eos_penalty", "epsilon", "ref_dtype");

  @Mixin TrainFlags flags;
  @Mixin PpoCommand.RlFlags rl;
  @Option(names = "--k", description = "Completions per prompt (default 2).") Integer k;

  @Override public Integer call() throws IOException {
    Settings c = flags.settings(KEYS, "model", "data", "output");
    rl.apply(c);
    c.put("num_generations", k);
    return run(c, GroupConfig.rloo(c.path("output")), "rloo", false);
  }

  /** Shared by rloo and grpo: the group config from settings over defaults {@code d}, then training. */
  static int run(Settings c, GroupConfig d, String name, boolean grpo) throws IOException {
    Ranks.join(name); // launch / torchrun variables: this process is one data-parallel rank
    GroupConfig built;
    try {
      GroupConfig.Advantage adv = grpo ? new GroupConfig.Grpo(new GroupAdvantages.GrpoConfig(c.bool("scale_rewards", true), 1e-4))
          : d.advantage();
      built = d.with(c.integer("max_steps", d.iterations()), c.integer("batch_size", d.promptsPerIteration()),
              c.integer("num_generations", d.k()), c.integer("response_length", d.maxNewTokens()))
          .withSampling(c.number("temperature", d.temperature()), Set.of(), c.number("missing_eos_penalty", 0))
          .withObjective(adv, grpo ? 0.0 : c.number("kl_coef", d.klCoef()), loss(c, d, grpo))
          .withUpdates(c.integer(grpo ? "num_iterations" : "num_ppo_epochs", d.epochs()), c.integer("num_mini_batches", d.numMiniBatches()))
          .withTrain(c.trainConfig(d.train()));
      if (grpo) built = built.withShaping(shaping(c, built));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    GroupConfig cfg = built;
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"), c.device());
      LoraSettings.attach(c, policy, c.path("model"));
      var prompts = PpoCommand.RlFlags.prompts(c, tok);
      PpoCommand.RlFlags.checkContext(prompts, policy, cfg.maxNewTokens(), c);
      var scorer = PpoCommand.RlFlags.scorer(c, tok);
      if (Ranks.writes()) c.write(cfg.train().outputDir());
      CausalLM ref = cfg.needsReference() ? PpoCommand.RlFlags.reference(policy, c) : null;
      var r = DoctorWatch.around(cfg.train().outputDir(), cfg.iterations(), System.err,
          () -> GroupTrainer.run(policy, ref, scorer, prompts, tok, cfg));
      if (Ranks.writes()) RunOutput.finalPolicy(name, c, policy, cfg.train().outputDir());
      double[] s = r.scores();
      System.out.printf(Locale.ROOT, "%s: %d iterations, objective/scores %.4f -> %.4f; model saved to %s%n", name, s.length,
          s.length == 0 ? Double.NaN : s[0], s.length == 0 ? Double.NaN : s[s.length - 1], cfg.train().outputDir());
    }
    return 0;
  }

  /** DAPO's rollout shaping: mask_truncated_completions, soft_punish_cache (over response_length), dynamic_sampling. */
  static GroupConfig.Shaping shaping(Settings c, GroupConfig g) {
    OverlongPenalty overlong = c.has("soft_punish_cache")
        ? new OverlongPenalty(g.maxNewTokens(), c.integer("soft_punish_cache", 0)) : null;
    return new GroupConfig.Shaping(c.bool("mask_truncated_completions", false), overlong, c.integer("dynamic_sampling", 0));
  }

  /**
   * The clipped loss: TRL's loss_type (grpo, bnpo, dapo, dr_grpo; gspo = grpo with sequence-level
   * ratios and GSPO's epsilon 3e-4 / 4e-4), epsilon / epsilon_high (clip-higher),
   * importance_sampling_level (token or sequence) and beta (GRPO only).
   */
  static GrpoLoss.Config loss(Settings c, GroupConfig d, boolean grpo) {
    String type = c.string("loss_type", "").trim();
    double beta = grpo ? c.number("beta", c.number("kl_coef", d.loss().beta())) : 0.0;
    if (type.isEmpty()) {
      double eps = c.number("epsilon", d.loss().epsLow());
      GrpoLoss.ImportanceLevel level = c.choice("importance_sampling_level", GrpoLoss.ImportanceLevel.class, d.loss().importance());
      return new GrpoLoss.Config(eps, c.number("epsilon_high", eps), beta, d.loss().aggregation(), level);
    }
    GrpoLoss.Config named;
    try {
      named = GrpoLoss.named(type, c.has("epsilon") ? c.number("epsilon", 0) : null,
          c.has("epsilon_high") ? c.number("epsilon_high", 0) : null, beta, c.integer("response_length", d.maxNewTokens()));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    GrpoLoss.ImportanceLevel level = type.equalsIgnoreCase("gspo") ? named.importance()
        : c.choice("importance_sampling_level", GrpoLoss.ImportanceLevel.class, named.importance());
    return new GrpoLoss.Config(named.epsLow(), named.epsHigh(), beta, named.aggregation(), level);
  }

}
