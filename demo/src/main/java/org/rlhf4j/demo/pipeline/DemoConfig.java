package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.loss.DpoVariants;
import org.rlhf4j.training.loss.GrpoLoss;

/**
 * Sizes and switches of one demo run. {@link #defaults} took 5.6 minutes on a quiet 2-core Zen 4 machine and
 * 25-30 minutes pinned to one core of a loaded 2-core Zen 1; {@link #quick} about 15 seconds on the quiet machine
 * (used by the tests).
 */
public record DemoConfig(
    Path output, long seed, boolean quick, boolean hackable,
    int hidden, int layers, int heads, int kvHeads, int intermediate,
    int corpusDocs, int pretrainSteps, int sftSteps, int comparisonItems, int ratingsPerItem, int raters,
    int rewardSteps, int ppoIterations, int ppoBatch, int dpoSteps, int bestOfN, int evalPrompts, int maxNewTokens,
    double ppoKlCoef, double ppoLr, double dpoBeta, String dpoLossType, String grpoLossType, java.util.Set<String> arms) {

  public DemoConfig {
    if (output == null) throw new IllegalArgumentException("output directory is required");
    for (int v : new int[] {hidden, layers, heads, kvHeads, intermediate, corpusDocs, pretrainSteps, sftSteps, comparisonItems,
        ratingsPerItem, raters, rewardSteps, ppoIterations, ppoBatch, dpoSteps, bestOfN, evalPrompts, maxNewTokens}) {
      if (v <= 0) throw new IllegalArgumentException("every demo size must be > 0");
    }
    if (hidden % heads != 0 || heads % kvHeads != 0) throw new IllegalArgumentException("hidden must divide by heads, heads by kvHeads");
    if (ratingsPerItem > raters) throw new IllegalArgumentException("ratingsPerItem (" + ratingsPerItem + ") exceeds the rater pool (" + raters + ")");
    if (!(ppoKlCoef >= 0)) throw new IllegalArgumentException("ppoKlCoef must be >= 0");
    if (!(ppoLr > 0)) throw new IllegalArgumentException("ppoLr must be > 0");
    if (!(dpoBeta > 0)) throw new IllegalArgumentException("dpoBeta must be > 0");
    if (dpoLossType == null) dpoLossType = "sigmoid";
    DpoVariants.named(dpoLossType, dpoBeta, null, null); // a clear error for an unknown name
    if (grpoLossType != null) GrpoLoss.named(grpoLossType, null, null, GRPO_BETA, maxNewTokens);
    arms = arms == null ? java.util.Set.of() : java.util.Set.copyOf(arms);
    for (String a : arms) {
      if (!ARMS.contains(a)) throw new IllegalArgumentException("unknown demo arm '" + a + "' (known: rlaif, cai, flywheel)");
    }
  }

  /**
   * The optional arms: the AI-feedback ones, RLAIF (DPO on the base model's labels) and Constitutional AI (SL-CAI then
   * RL-CAI), and the data flywheel (simulated users of the served SFT policy, two turns of production feedback).
   */
  public static final java.util.Set<String> ARMS = java.util.Set.of("rlaif", "cai", "flywheel");

  /** Whether the run includes this AI-feedback arm. */
  public boolean arm(String name) { return arms.contains(name); }

  /**
   * Whether the pre-training corpus carries the web's feedback documents (comparisons with verdicts, critique-revise
   * threads, jailbreak attempts) and the model the {@value #FEEDBACK_POSITIONS} positions that judging requests need:
   * only when an AI-feedback arm runs, so that the human-feedback demo keeps its own world and figures.
   */
  public boolean webFeedback() { return arms.contains("rlaif") || arms.contains("cai"); }

  /** The flywheel arm's settings: conversations per turn, users, KTO steps, answer length, seed, what it builds on. */
  public org.rlhf4j.demo.flywheel.DemoFlywheel.Settings flywheel() {
    return new org.rlhf4j.demo.flywheel.DemoFlywheel.Settings(quick ? 120 : 1500, quick ? 20 : 200, quick ? 10 : 60, maxNewTokens, seed,
        stageKey("sft"));
  }

  /** Positions of the demo's model: 64, or 128 with the web's feedback (judging requests run to ~90 tokens). */
  public int maxPositions() { return webFeedback() ? FEEDBACK_POSITIONS : 64; }

  static final int FEEDBACK_POSITIONS = 128;

  /** The same run with only these AI-feedback arms (none: the human-feedback arms alone). */
  public DemoConfig withArms(java.util.Set<String> chosen) {
    return new DemoConfig(output, seed, quick, hackable, hidden, layers, heads, kvHeads, intermediate, corpusDocs, pretrainSteps,
        sftSteps, comparisonItems, ratingsPerItem, raters, rewardSteps, ppoIterations, ppoBatch, dpoSteps, bestOfN, evalPrompts,
        maxNewTokens, ppoKlCoef, ppoLr, dpoBeta, dpoLossType, grpoLossType, chosen);
  }

  /** SL-CAI's SFT responses per red-team prompt (also RL-CAI's pairs per prompt). */
  public int caiSamples() { return quick ? 2 : 4; }

  /** SL-CAI's fine-tuning steps (batches of 16: the revisions and as many demonstrations of the other families). */
  public int caiSftSteps() { return quick ? 10 : 60; }

  /** The GRPO arm's KL-to-reference weight (TRL's default before 0.19; the demo's PPO also keeps a KL penalty). */
  static final double GRPO_BETA = 0.04;

  /**
   * Measured on seeds 1-5 (gold win rate vs SFT): PPO with 64 rollouts per iteration 0.666 on average against
   * 0.654 with 32 (better on 4 of 5 seeds); DPO for one epoch of the pairs (100 steps of 16) 0.676 against 0.608
   * for four epochs, which drifted to 2-5 nats of KL.
   */
  public static DemoConfig defaults(Path output, long seed, boolean hackable) {
    return new DemoConfig(output, seed, false, hackable, 128, 4, 4, 2, 384,
        20000, 1500, 800, 3000, 3, 9, 600, 60, 64, 100, 4, 300, 24, hackable ? 0.001 : 0.2, 5e-5, 0.1, "sigmoid", null, null);
  }

  /** The same run with other PPO settings (iterations, KL coefficient, learning rate). */
  public DemoConfig withPpo(int iterations, double klCoef, double lr) {
    return withPpo(iterations, ppoBatch, klCoef, lr);
  }

  /** The same run with other PPO settings (iterations, rollouts per iteration, KL coefficient, learning rate). */
  public DemoConfig withPpo(int iterations, int batch, double klCoef, double lr) {
    return new DemoConfig(output, seed, quick, hackable, hidden, layers, heads, kvHeads, intermediate, corpusDocs, pretrainSteps,
        sftSteps, comparisonItems, ratingsPerItem, raters, rewardSteps, iterations, batch, dpoSteps, bestOfN, evalPrompts,
        maxNewTokens, klCoef, lr, dpoBeta, dpoLossType, grpoLossType, arms);
  }

  /** The same run with other DPO settings (optimizer steps, beta). */
  public DemoConfig withDpo(int steps, double beta) {
    return new DemoConfig(output, seed, quick, hackable, hidden, layers, heads, kvHeads, intermediate, corpusDocs, pretrainSteps,
        sftSteps, comparisonItems, ratingsPerItem, raters, rewardSteps, ppoIterations, ppoBatch, steps, bestOfN, evalPrompts,
        maxNewTokens, ppoKlCoef, ppoLr, beta, dpoLossType, grpoLossType, arms);
  }

  /** The same run with another preference loss for the DPO stage (a TRL loss_type name, e.g. simpo or ipo). */
  public DemoConfig withDpoLoss(String lossType) {
    return new DemoConfig(output, seed, quick, hackable, hidden, layers, heads, kvHeads, intermediate, corpusDocs, pretrainSteps,
        sftSteps, comparisonItems, ratingsPerItem, raters, rewardSteps, ppoIterations, ppoBatch, dpoSteps, bestOfN, evalPrompts,
        maxNewTokens, ppoKlCoef, ppoLr, dpoBeta, lossType, grpoLossType, arms);
  }

  /**
   * The same run with a GRPO arm (TRL loss_type grpo, bnpo, dapo, dr_grpo or gspo) trained on the learned reward
   * beside PPO, with PPO's iterations, rollouts per iteration and learning rate; null = no GRPO arm.
   */
  public DemoConfig withGrpoLoss(String lossType) {
    return new DemoConfig(output, seed, quick, hackable, hidden, layers, heads, kvHeads, intermediate, corpusDocs, pretrainSteps,
        sftSteps, comparisonItems, ratingsPerItem, raters, rewardSteps, ppoIterations, ppoBatch, dpoSteps, bestOfN, evalPrompts,
        maxNewTokens, ppoKlCoef, ppoLr, dpoBeta, dpoLossType, lossType, arms);
  }

  /** The GRPO arm's loss: {@link #grpoLossType} with TRL's clip defaults and {@link #GRPO_BETA}. */
  GrpoLoss.Config grpoLoss() { return GrpoLoss.named(grpoLossType, null, null, GRPO_BETA, maxNewTokens); }

  /** The DPO stage's loss: {@link #dpoLossType} with {@link #dpoBeta} and TRL's other defaults. */
  public DpoLoss.Variant dpoLoss() { return DpoVariants.named(dpoLossType, dpoBeta, null, null); }

  /** Bumped when a change to the world or the stages makes earlier checkpoints unusable. */
  static final int STAGE_FORMAT = 2; // 2: stages on the training library's trainers (samplers, reward-model layout)

  /**
   * The settings a stage's result depends on (its own and every earlier stage's): stamps the stage's folder so
   * that a re-run resumes only work done under the same settings. Stages: pretrain, sft, reward, ppo, dpo, grpo, rlaif, cai-sl, cai-rl.
   */
  String stageKey(String stage) {
    String pretrain = "format=" + STAGE_FORMAT + (webFeedback() ? " web=feedback+grades9/" + FEEDBACK_POSITIONS : "")
        + " seed=" + seed + " model=" + hidden + "/" + layers + "/" + heads + "/" + kvHeads
        + "/" + intermediate + " corpus=" + corpusDocs + " pretrain=" + pretrainSteps;
    String sft = pretrain + " sft=" + sftSteps + (webFeedback() ? " jailbreak-demos=" + DemoPipeline.JAILBREAK_DEMOS : "");
    String prefs = sft + " comparisons=" + comparisonItems + "x" + ratingsPerItem + "/" + raters + " hackable=" + hackable
        + " tokens=" + maxNewTokens;
    String dpo = " dpo=" + dpoSteps + (dpoBeta == 0.1 ? "" : " beta=" + dpoBeta) + (dpoLossType.equals("sigmoid") ? "" : " loss=" + dpoLoss());
    return switch (stage) {
      case "pretrain" -> pretrain;
      case "sft" -> sft;
      case "reward" -> prefs + " reward=" + rewardSteps;
      case "ppo" -> prefs + " reward=" + rewardSteps + " ppo=" + ppoIterations + "x" + ppoBatch + " kl=" + ppoKlCoef + " lr=" + ppoLr;
      case "dpo" -> prefs + dpo;
      case "rlaif" -> prefs + " rlaif=mean(grades,pairwise)-soft" + dpo;
      case "cai-sl" -> sft + " cai-sl=" + caiSamples() + "x" + caiSftSteps();
      case "cai-rl" -> prefs + " cai-sl=" + caiSamples() + "x" + caiSftSteps() + " cai-rl=mean(pairwise,grades)" + dpo;
      case "grpo" -> prefs + " reward=" + rewardSteps + " grpo=" + ppoIterations + "x" + ppoBatch + " lr=" + ppoLr + " loss=" + grpoLoss();
      default -> throw new IllegalArgumentException("unknown demo stage '" + stage + "'");
    };
  }

  public static DemoConfig quick(Path output, long seed, boolean hackable) {
    return new DemoConfig(output, seed, true, hackable, 64, 2, 4, 2, 160,
        4000, 200, 80, 240, 3, 7, 80, 8, 16, 12, 4, 60, 24, hackable ? 0.001 : 0.05, 1e-4, 0.1, "sigmoid", null, null);
  }
}
