package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.demo.world.GoldReward;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.evaluation.Repetition;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.grpo.GroupConfig;
import org.rlhf4j.training.grpo.GroupTrainer;
import org.rlhf4j.training.loss.GroupAdvantages;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.KlEstimator;
import org.rlhf4j.training.ppo.PpoConfig;
import org.rlhf4j.training.ppo.PpoTrainer;
import org.rlhf4j.training.rollout.RolloutHook;
import org.rlhf4j.training.rollout.Scorer;

/** The demo's preference optimisers: PPO (and optionally GRPO) against the learned reward model, and DPO on the rater pairs. */
final class PolicyStages {
  private PolicyStages() {}

  /** PPO updates per rollout batch: 2 mini-batches x 4 epochs. */
  private static final int MINI_BATCHES = 2, EPOCHS = 4, UPDATES_PER_ITERATION = MINI_BATCHES * EPOCHS;

  /** Prompt ids as the chat template renders them, and a hook logging the gold reward of every rollout batch. */
  private record Rollouts(List<long[]> ids, RolloutHook hook) {
    static Rollouts of(List<Prompt> prompts, GoldReward gold, Chat chat) {
      Map<String, Prompt> byIds = new HashMap<>();
      List<long[]> ids = new ArrayList<>();
      for (Prompt p : prompts) {
        long[] x = chat.promptIds(p.text());
        ids.add(x);
        byIds.put(Arrays.toString(x), p);
      }
      Scorer goldScorer = (ps, rs) -> {
        double[] out = new double[ps.size()];
        for (int i = 0; i < out.length; i++) out[i] = gold.judge(byIds.get(Arrays.toString(ps.get(i))), chat.response(rs.get(i))).score();
        return out;
      };
      RolloutHook goldHook = RolloutHook.gold(goldScorer);
      RolloutHook hook = (it, ps, rs, scores) -> {
        Map<String, Double> m = new HashMap<>(goldHook.onRollout(it, ps, rs, scores));
        m.put("response_repetition", Repetition.mean(rs.stream().map(r -> Arrays.stream(r).mapToInt(l -> (int) l).toArray()).toList(), 2));
        return m;
      };
      return new Rollouts(ids, hook);
    }
  }

  /** PPO from the SFT policy; the gold reward of every rollout batch is logged next to the proxy (never trained on). */
  static PpoTrainer.PpoResult ppo(CausalLM policy, CausalLM reference, Scorer proxy, Tokenizer tok, Chat chat,
      List<Prompt> prompts, GoldReward gold, DemoConfig cfg, Path dir) {
    Rollouts r = Rollouts.of(prompts, gold, chat);
    PpoConfig pc = PpoConfig.defaults(dir).with(cfg.ppoIterations(), cfg.ppoBatch(), MINI_BATCHES, EPOCHS, cfg.maxNewTokens())
        .withSampling(0.7, tok.stopIds(), 1.0)
        .withKl(KlEstimator.K1, new KlController.Fixed(cfg.ppoKlCoef()))
        .withTrain(onPolicyTrain(cfg, dir, UPDATES_PER_ITERATION));
    return PpoTrainer.run(policy, reference, null, proxy, r.ids(), tok.padId(), pc, r.hook());
  }

  /** GRPO responses per prompt (the group), and updates per rollout batch: 2 mini-batches x 2 epochs. */
  private static final int GROUP = 4, GRPO_MINI_BATCHES = 2, GRPO_EPOCHS = 2;

  /**
   * GRPO (the configured loss type) from the SFT policy on the same reward model and rollout budget as PPO:
   * {@code ppoBatch / 4} prompts x 4 responses per iteration, group-normalised advantages, KL to the SFT
   * reference inside the loss (beta {@link DemoConfig#GRPO_BETA}); the gold reward is logged as for PPO.
   */
  static GroupTrainer.GroupResult grpo(CausalLM policy, CausalLM reference, Scorer proxy, Tokenizer tok, Chat chat,
      List<Prompt> prompts, GoldReward gold, DemoConfig cfg, Path dir) {
    Rollouts r = Rollouts.of(prompts, gold, chat);
    GroupConfig gc = GroupConfig.grpo(dir).with(cfg.ppoIterations(), Math.max(1, cfg.ppoBatch() / GROUP), GROUP, cfg.maxNewTokens())
        .withSampling(0.7, tok.stopIds(), 1.0)
        .withObjective(new GroupConfig.Grpo(GroupAdvantages.GrpoConfig.DEFAULT), 0.0, cfg.grpoLoss())
        .withUpdates(GRPO_EPOCHS, GRPO_MINI_BATCHES)
        .withTrain(onPolicyTrain(cfg, dir, GRPO_EPOCHS * GRPO_MINI_BATCHES));
    return GroupTrainer.run(policy, reference, proxy, r.ids(), tok.padId(), gc, r.hook());
  }

  private static TrainConfig onPolicyTrain(DemoConfig cfg, Path dir, int updatesPerIteration) {
    return TrainConfig.defaults(dir).toBuilder().lr(cfg.ppoLr()).schedule(Schedule.LINEAR).minLrRatio(0.1)
        .seed(cfg.seed()).logEvery(1).saveEvery(Math.max(1, cfg.ppoIterations() / 4) * updatesPerIteration).keepCheckpoints(1)
        .resume(true).build();
  }

  /** DPO (sigmoid, or the configured preference loss) from the SFT policy on the filtered rater pairs. */
  static DpoTrainer.DpoResult dpo(CausalLM policy, CausalLM reference, List<DpoPair> pairs, DemoConfig cfg, Path dir) {
    TrainConfig t = TrainConfig.defaults(dir).toBuilder().lr(2e-4).schedule(Schedule.LINEAR).minLrRatio(0.1)
        .maxSteps(cfg.dpoSteps()).seed(cfg.seed()).logEvery(Math.max(1, cfg.dpoSteps() / 10)).saveEvery(Math.max(1, cfg.dpoSteps() / 4))
        .keepCheckpoints(1).resume(true).build();
    DpoConfig dc = DpoConfig.defaults(dir).withVariant(cfg.dpoLoss()).withBatchSize(16).withPrecomputeReference(true)
        .withMaxLength(64).withTrain(t);
    return DpoTrainer.run(policy, reference, pairs, dc);
  }

  static CausalLM fresh(CausalLM sft) {
    return sft.copy(DType.F32);
  }
}
