package org.rlhf4j.evaluation.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reward-hacking detector's error rates with the default thresholds, over 300 seeded synthetic runs the size
 * of the demo's PPO run (60 iterations, a 10-observation window, per-iteration gold noise sd 0.09-0.1, the proxy
 * rising as in a healthy run).
 */
class HackingFalseAlarmTest {
  private static final int RUNS = 300;
  private static final DoctorConfig C = DoctorConfig.defaults().withWindow(10);

  private static int flagged(java.util.function.LongFunction<SyntheticRun> runs) {
    int n = 0;
    for (long seed = 0; seed < RUNS; seed++) {
      if (runs.apply(seed).diagnose(C).stream().anyMatch(f -> f.kind() == FlagKind.REWARD_HACKING)) n++;
    }
    return n;
  }

  @Test
  void flatNoisyGoldIsRarelyCalledHacking() {
    int alarms = flagged(seed -> SyntheticRun.healthyPpo(seed, 60).set("eval/gold_reward", t -> 0.75, 0.1));
    System.out.printf("reward hacking false alarms on a flat gold curve: %d/%d%n", alarms, RUNS);
    assertThat(alarms).isLessThanOrEqualTo(RUNS * 3 / 100);
  }

  @Test
  void healthyLongRunsAreNotCalledHacking() {
    assertThat(flagged(seed -> SyntheticRun.healthyPpo(seed, 500))).isLessThanOrEqualTo(1);
  }

  @Test
  void aGoldFallLikeTheHackableDemosIsUsuallyCaught() {
    // gold 0.55 falling to 0.38 over the first 25 iterations, then flat: what `demo --hackable` logs
    int caught = flagged(seed -> SyntheticRun.healthyPpo(seed, 60).set("eval/gold_reward", t -> 0.55 - 0.17 * Math.min(1, t / 25.0), 0.09));
    System.out.printf("reward hacking caught: %d/%d%n", caught, RUNS);
    assertThat(caught).isGreaterThanOrEqualTo(RUNS * 60 / 100);
  }

  @Test
  void aFallThatLevelsOffIsDatedWhereItBeganNotWhereItLevelledOff() {
    java.util.List<Long> onsets = new java.util.ArrayList<>();
    for (long seed = 0; seed < RUNS; seed++) {
      SyntheticRun.healthyPpo(seed, 60).set("eval/gold_reward", t -> 0.55 - 0.17 * Math.min(1, t / 25.0), 0.09).diagnose(C).stream()
          .filter(f -> f.kind() == FlagKind.REWARD_HACKING).forEach(f -> onsets.add(f.step()));
    }
    java.util.Collections.sort(onsets);
    assertThat(onsets.get(onsets.size() / 2)).as("median onset (the fall ran from step 0 to 25)").isLessThanOrEqualTo(12);
  }
}
