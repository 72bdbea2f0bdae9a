package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.demo.pipeline.DemoConfig;
import org.rlhf4j.demo.pipeline.DemoPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j demo}: all of RLHF on a laptop CPU, judged by a known gold reward. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the built-in RLHF sandbox: pre-train a small model on a synthetic assistant world, SFT, simulated "
        + "raters, a reward model, optimisation against it, evaluation by the gold reward, and a report.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--output", defaultValue = "runs/demo", description = "Output directory (default ${DEFAULT-VALUE}).") Path output;
  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--quick", description = "A smaller run of about 15 seconds (tiny model, few steps: for tests and a first look).") boolean quick;
  @Option(names = "--hackable", description = "Length-biased raters and a tiny KL coefficient: watch the run doctor catch reward hacking.") boolean hackable;

  @Option(names = "--ppo-iterations", description = "PPO rollout batches (default: per mode).") Integer ppoIterations;
  @Option(names = "--ppo-batch", description = "PPO rollouts per iteration (default: 64; --quick: 16).") Integer ppoBatch;
  @Option(names = "--ppo-kl-coef", description = "PPO KL coefficient (default: 0.2, or 0.001 with --hackable; --quick: 0.05).") Double ppoKl;
  @Option(names = "--ppo-lr", description = "PPO learning rate (default: per mode).") Double ppoLr;
  @Option(names = "--dpo-steps", description = "DPO optimizer steps of 16 pairs (default: 100, one epoch; --quick: 12).") Integer dpoSteps;
  @Option(names = "--dpo-beta", description = "DPO beta (default 0.1).") Double dpoBeta;
  @Option(names = "--dpo-loss-type", description = "The DPO stage's preference loss, a TRL loss_type (default sigmoid; "
      + "e.g. ipo, robust, bco_pair, apo_zero, simpo, orpo: see rlhf4j dpo --help).") String dpoLossType;

  @Option(names = "--grpo-loss-type", description = "Adds a GRPO arm trained on the learned reward with PPO's rollout budget, "
      + "a TRL loss_type: grpo, bnpo, dapo, dr_grpo or gspo (default: no GRPO arm).") String grpoLossType;

  @Option(names = "--arms", split = ",", paramLabel = "ARM",
      description = "Arms to run beside the human-feedback ones (comma-separated; default none): rlaif and cai (AI feedback: "
          + "they give the pre-training corpus the web's feedback documents and the model 128 positions, so every stage is "
          + "retrained and its figures differ from a run without them), flywheel (simulated users of the served SFT policy, "
          + "two turns of production feedback, KTO and an A/B test; it reuses the finished stages).")
  java.util.List<String> arms;

  @Override public Integer call() throws Exception {
    DemoConfig cfg = quick ? DemoConfig.quick(output, seed, hackable) : DemoConfig.defaults(output, seed, hackable);
    cfg = cfg.withPpo(ppoIterations != null ? ppoIterations : cfg.ppoIterations(), ppoBatch != null ? ppoBatch : cfg.ppoBatch(),
        ppoKl != null ? ppoKl : cfg.ppoKlCoef(),
        ppoLr != null ? ppoLr : cfg.ppoLr());
    cfg = cfg.withDpo(dpoSteps != null ? dpoSteps : cfg.dpoSteps(), dpoBeta != null ? dpoBeta : cfg.dpoBeta());
    if (dpoLossType != null) {
      try {
        cfg = cfg.withDpoLoss(dpoLossType);
      } catch (IllegalArgumentException e) {
        throw new UserError("--dpo-loss-type: " + e.getMessage());
      }
    }
    if (grpoLossType != null) {
      try {
        cfg = cfg.withGrpoLoss(grpoLossType);
      } catch (IllegalArgumentException e) {
        throw new UserError("--grpo-loss-type: " + e.getMessage());
      }
    }
    if (arms != null) {
      java.util.Set<String> chosen = new java.util.LinkedHashSet<>(arms);
      if (chosen.remove("none") && !chosen.isEmpty()) throw new UserError("--arms: 'none' cannot be combined with other arms");
      try {
        cfg = cfg.withArms(chosen);
      } catch (IllegalArgumentException e) {
        throw new UserError("--arms: " + e.getMessage());
      }
    }
    new DemoPipeline(cfg).run();
    return 0;
  }
}
