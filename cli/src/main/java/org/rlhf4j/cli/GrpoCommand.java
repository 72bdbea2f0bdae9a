package org.rlhf4j.cli;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.training.grpo.GroupConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j grpo}: group relative policy optimisation against a reward model (TRL GRPOTrainer defaults). */
@Command(name = "grpo", mixinStandardHelpOptions = true,
    description = {"GRPO: k samples per prompt, advantages normalised within each group, clipped loss, optional k3 KL "
        + "term (beta, default 0 as TRL: no reference model is loaded).",
        "Loss types (TRL loss_type): dapo (default), bnpo, grpo, dr_grpo, and gspo (sequence-level importance ratio, "
            + "epsilon 3e-4/4e-4); DAPO: --epsilon-high (clip-higher), --mask-truncated, --soft-punish-cache, --dynamic-sampling.",
        "--data: JSONL {\"prompt\"}; --max-steps counts iterations; --batch-size is prompts per iteration."})
public final class GrpoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("reward_model", "reward_adapter", "response_length", "temperature", "kl_coef", "beta",
      "num_generations", "num_iterations", "num_mini_batches", "missing_eos_penalty", "epsilon", "epsilon_high",
      "scale_rewards", "ref_dtype", "loss_type", "importance_sampling_level", "mask_truncated_completions",
      "soft_punish_cache", "dynamic_sampling");

  @Mixin TrainFlags flags;
  @Mixin PpoCommand.RlFlags rl;
  @Option(names = "--k", description = "Completions per prompt (num_generations, default 8).") Integer k;
  @Option(names = "--beta", description = "KL-to-reference weight (default 0.0).") Double beta;
  @Option(names = "--loss-type", description = "dapo (default), bnpo, grpo, dr_grpo or gspo.") String lossType;
  @Option(names = "--epsilon", description = "Lower clip bound epsilon (default 0.2; gspo 3e-4).") Double epsilon;
  @Option(names = "--epsilon-high", description = "Upper clip bound (default: epsilon; DAPO uses 0.28; gspo 4e-4).") Double epsilonHigh;
  @Option(names = "--importance-sampling-level", description = "token (default) or sequence (GSPO).") String importanceLevel;
  @Option(names = "--mask-truncated", description = "Keep completions without a stop token out of the loss (DAPO; TRL mask_truncated_completions).")
  boolean maskTruncated;
  @Option(names = "--soft-punish-cache", description = "DAPO's soft overlong penalty over the last N tokens of --max-new-tokens (default off).")
  Integer softPunishCache;
  @Option(names = "--dynamic-sampling", description = "DAPO's dynamic sampling: up to N extra prompt batches replace groups whose rewards are all equal (default 0, off).")
  Integer dynamicSampling;

  @Override public Integer call() throws IOException {
    Settings c = flags.settings(KEYS, "model", "data", "output");
    rl.apply(c);
    c.put("num_generations", k);
    c.put("beta", beta);
    c.put("loss_type", lossType);
    c.put("epsilon", epsilon);
    c.put("epsilon_high", epsilonHigh);
    c.put("importance_sampling_level", importanceLevel);
    if (maskTruncated) c.put("mask_truncated_completions", true);
    c.put("soft_punish_cache", softPunishCache);
    c.put("dynamic_sampling", dynamicSampling);
    return RlooCommand.run(c, GroupConfig.grpo(c.path("output")), "grpo", true);
  }
}
