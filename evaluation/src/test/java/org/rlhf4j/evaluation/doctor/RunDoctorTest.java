package org.rlhf4j.evaluation.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunDoctorTest {
  private static final DoctorConfig C = DoctorConfig.defaults();
  private static final int W = C.window();

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void healthyNoisyPpoRunRaisesNothing(long seed) {
    assertThat(SyntheticRun.healthyPpo(seed, 500).diagnose(C)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void healthyNoisyDpoRunRaisesNothing(long seed) {
    assertThat(SyntheticRun.healthyDpo(seed, 500).diagnose(C)).isEmpty();
  }

  @Test
  void healthyRunWithSparseGoldRaisesNothing() {
    var run = SyntheticRun.healthyPpo(11, 1000).every("eval/gold_reward", 10);
    assertThat(run.diagnose(C.withWindow(5))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void klWarmupThenLinearOrQuadraticGrowthIsNotABlowup(long seed) {
    var kink = SyntheticRun.healthyPpo(seed, 500).set("objective/kl", t -> t < 50 ? 0 : 0.015 * (t - 50), 0.05);
    assertThat(kink.diagnose(C)).isEmpty();
    var quadratic = SyntheticRun.healthyPpo(seed, 500).set("objective/kl", t -> 8 * (t / 500) * (t / 500), 0.3);
    assertThat(quadratic.diagnose(C)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void rewardHackingFlaggedNearTheGoldPeak(long seed) {
    var run = SyntheticRun.healthyPpo(seed, 500)
        .set("eval/gold_reward", t -> t < 200 ? 0.1 + 0.5 * t / 200 : 0.6 - 0.4 * (t - 200) / 300, 0.1);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.REWARD_HACKING);
    assertThat(flags.get(0).step()).isBetween(200L - W, 200L + 2 * W);
    assertThat(flags.get(0).explanation()).contains("gold reward").contains("proxy reward");
  }

  @Test
  void goldFallingWhileProxyAlsoFallsIsNotHacking() {
    var run = SyntheticRun.healthyPpo(4, 500)
        .set("objective/scores", t -> 1.0 - t / 500.0, 0.1)
        .set("eval/gold_reward", t -> 0.6 - 0.4 * t / 500, 0.1);
    assertThat(kinds(run.diagnose(C))).doesNotContain(FlagKind.REWARD_HACKING);
  }

  @Test
  void rewardHackingWithSparseGoldEvaluations() {
    var run = SyntheticRun.healthyPpo(5, 1000).every("eval/gold_reward", 10)
        .set("objective/scores", t -> 0.2 + 0.8 * t / 1000, 0.1)
        .set("eval/gold_reward", t -> t < 500 ? 0.1 + 0.5 * t / 500 : 0.6 - 0.5 * (t - 500) / 500, 0.05);
    List<Flag> flags = run.diagnose(C.withWindow(5));
    assertThat(kinds(flags)).containsExactly(FlagKind.REWARD_HACKING);
    assertThat(flags.get(0).step()).isBetween(450L, 600L);
  }

  @Test
  void lengthDriftFlaggedWhenLengthReachesOneAndAHalfTimesTheStart() {
    // 100 until step 150, then +150 over 250 steps: x1.5 at step 233
    var run = SyntheticRun.healthyPpo(3, 400)
        .set("response_length_mean", t -> t < 150 ? 100 : 100 + 150 * (t - 150) / 250, 8);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.LENGTH_DRIFT);
    assertThat(flags.get(0).step()).isBetween(233L - W, 233L + W);
  }

  @Test
  void lengthCollapseFlagged() {
    var run = SyntheticRun.healthyPpo(3, 400).set("response_length_mean", t -> t < 200 ? 100 : 30, 5);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.LENGTH_DRIFT);
    assertThat(flags.get(0).step()).isBetween(200L - W, 200L + W);
    assertThat(flags.get(0).explanation()).contains("shrank");
  }

  @Test
  void repetitionFlaggedWhenItJumps() {
    var run = SyntheticRun.healthyPpo(3, 400).set("response_repetition", t -> t < 250 ? 0.05 : 0.5, 0.03);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.REPETITION);
    assertThat(flags.get(0).step()).isBetween(250L - W, 250L + W);
  }

  @Test
  void klAboveThresholdFlagged() {
    var run = SyntheticRun.healthyPpo(3, 400).set("objective/kl", t -> 12.0 * t / 400, 0.5); // 10 at step 333
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.KL_BLOWUP);
    assertThat(flags.get(0).step()).isBetween(333L - W, 333L + W);
    assertThat(flags.get(0).explanation()).contains("above the limit");
  }

  @Test
  void exponentialKlFlaggedAsSuperLinearBeforeItCrossesTheThreshold() {
    var run = SyntheticRun.healthyPpo(3, 400).set("objective/kl", t -> 0.5 + 0.02 * Math.exp(t / 25), 0.1);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.KL_BLOWUP);
    assertThat(flags.get(0).step()).isLessThan(155L); // the raw curve crosses 10 nats at step 155
    assertThat(flags.get(0).explanation()).contains("super-linearly");
  }

  @Test
  void entropyCollapseFlagged() {
    // 2.0 until 200, then decays with time constant 30: 25% of start at step 242
    var run = SyntheticRun.healthyPpo(3, 400)
        .set("objective/entropy", t -> t < 200 ? 2.0 : 2.0 * Math.exp(-(t - 200) / 30), 0.05);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.ENTROPY_COLLAPSE);
    assertThat(flags.get(0).step()).isBetween(242L - W, 242L + W);
  }

  @Test
  void valueLossExplosionFlagged() {
    var run = SyntheticRun.healthyPpo(3, 400)
        .set("loss/value_avg", t -> 0.2 + Math.exp(-t / 50) + (t < 300 ? 0 : 0.2 * Math.exp((t - 300) / 10.0)), 0.05);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.VALUE_LOSS_EXPLOSION);
    assertThat(flags.get(0).step()).isBetween(300L, 330L + W);
  }

  @Test
  void nonFiniteValueLossFlaggedAtItsStep() {
    RunDoctor doctor = new RunDoctor(C);
    for (int t = 0; t < 200; t++) doctor.observe(t, Map.of("loss/value_avg", t == 123 ? Double.NaN : 0.5));
    assertThat(doctor.flags()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(FlagKind.VALUE_LOSS_EXPLOSION);
      assertThat(f.step()).isEqualTo(123);
      assertThat(f.explanation()).contains("NaN");
    });
  }

  @Test
  void ratioDriftFlagged() {
    var run = SyntheticRun.healthyPpo(3, 400).set("val/ratio", t -> t < 180 ? 1.0 : 1.5, 0.05);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.RATIO_DRIFT);
    assertThat(flags.get(0).step()).isBetween(180L - W, 180L + W);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void dpoChosenLogpsFallingFlaggedWhereTheFallStarts(long seed) {
    var run = SyntheticRun.healthyDpo(seed, 500)
        .set("logps/chosen", t -> t < 150 ? -100 : -100 - 40.0 * (t - 150) / 350, 3);
    List<Flag> flags = run.diagnose(C);
    assertThat(kinds(flags)).containsExactly(FlagKind.CHOSEN_LOGPS_FALLING);
    assertThat(flags.get(0).step()).isBetween(150L - W, 150L + 2 * W);
  }

  @Test
  void eachKindIsRaisedOnceInDetectionOrder() {
    var run = SyntheticRun.healthyPpo(3, 400)
        .set("val/ratio", t -> t < 100 ? 1.0 : 1.5, 0.05)
        .set("response_repetition", t -> t < 250 ? 0.05 : 0.5, 0.03);
    assertThat(kinds(run.diagnose(C))).containsExactly(FlagKind.RATIO_DRIFT, FlagKind.REPETITION);
  }

  @Test
  void runWithoutKnownMetricsRaisesNothing() {
    RunDoctor doctor = new RunDoctor(C);
    for (int t = 0; t < 100; t++) doctor.observe(t, Map.of("custom/metric", (double) t * t));
    assertThat(doctor.flags()).isEmpty();
  }

  static List<FlagKind> kinds(List<Flag> flags) {
    return flags.stream().map(Flag::kind).toList();
  }
}
