package org.rlhf4j.training.kto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.loss.KtoLoss;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.ppo.TinyTask;

/** KTO on the closed-form task: desirable completions are mostly TARGET tokens, undesirable ones have none. */
class KtoTrainerTest {
  @TempDir Path tmp;

  /** Unpaired examples, alternately desirable (3 TARGET of 4) and undesirable (no TARGET), on distinct prompts. */
  static List<KtoExample> examples(int n, long seed) {
    Random r = new Random(seed);
    List<KtoExample> out = new ArrayList<>();
    List<long[]> prompts = TinyTask.prompts(n, seed);
    for (int i = 0; i < n; i++) {
      boolean good = i % 2 == 0;
      out.add(new KtoExample(prompts.get(i), TinyTask.response(r, 4, good ? 3 : 0), good));
    }
    return out;
  }

  static KtoConfig config(Path dir, KtoLoss.Variant v, int steps) {
    KtoConfig d = KtoConfig.defaults(dir);
    return d.withVariant(v).withTrain(d.train().toBuilder().lr(3e-3).maxSteps(steps).logEvery(5)
        .schedule(Schedule.CONSTANT).build());
  }

  /** Share of sampled completions that are desirable by the closed-form rule (at least half TARGET tokens). */
  static double desirableFraction(CausalLM policy) {
    List<long[]> prompts = TinyTask.prompts(64, 99);
    Generation g = Generator.generate(policy, prompts, 0, SamplingConfig.sample(5, 1.0, 0, 1.0, 3, Set.of(TinyTask.EOS)));
    int good = 0;
    for (long[] o : g.outputIds()) if (TinyTask.fraction(o) >= 0.5) good++;
    return (double) good / prompts.size();
  }

  @Test void ktoRaisesTheDesirableFractionAndLogsTrlNames() throws Exception {
    List<KtoExample> data = examples(64, 7);
    CausalLM policy = TinyTask.policy(3);
    CausalLM ref = policy.copy(DType.F32);
    double before = desirableFraction(policy);
    Map<String, Double> m0 = KtoTrainer.evaluate(policy, ref, data, new KtoLoss.Kto(), 16);
    assertThat(m0.get("rewards/margins")).isCloseTo(0.0, within(1e-6)); // policy == reference
    assertThat(m0.get("loss")).isCloseTo(0.5, within(1e-6)); // 1 - sigma(0) everywhere

    KtoTrainer.run(policy, ref, data, config(tmp, new KtoLoss.Kto(), 30));

    double after = desirableFraction(policy);
    assertThat(after).as("desirable fraction before %.3f", before).isGreaterThan(before + 0.3);
    Map<String, Double> m1 = KtoTrainer.evaluate(policy, ref, data, new KtoLoss.Kto(), 16);
    assertThat(m1.get("rewards/chosen")).isGreaterThan(0);
    assertThat(m1.get("rewards/rejected")).isLessThan(0);
    assertThat(m1.get("loss")).isLessThan(m0.get("loss"));
    List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(6);
    JsonNode last = new ObjectMapper().readTree(lines.get(5));
    assertThat(last.fieldNames()).toIterable().contains("loss", "kl", "rewards/chosen", "rewards/rejected",
        "rewards/margins", "logps/chosen", "logps/rejected", "count/chosen", "count/rejected");
    assertThat(last.get("kl").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(CausalLM.load(tmp.resolve("checkpoint-30")).config()).isEqualTo(policy.config());
  }

  @Test void undesirableOnlyDataPushesTargetTokensDownAndBcoTrains() {
    // flipped labels: TARGET-rich completions are undesirable, so KTO must lower the desirable fraction
    List<KtoExample> flipped = examples(64, 11).stream()
        .map(e -> new KtoExample(e.prompt(), e.completion(), !e.desirable())).toList();
    CausalLM policy = TinyTask.policy(5);
    double before = desirableFraction(policy);
    KtoTrainer.run(policy, null, flipped, config(tmp.resolve("flip"), new KtoLoss.Kto(0.1, 1.0, 1.5), 20));
    assertThat(desirableFraction(policy)).isLessThanOrEqualTo(before);

    CausalLM p2 = TinyTask.policy(5);
    CausalLM ref = p2.copy(DType.F32);
    var r = KtoTrainer.run(p2, ref, examples(64, 11), config(tmp.resolve("bco"), new KtoLoss.Bco(0.1), 30));
    assertThat(r.lastMetrics()).containsKeys("delta", "count/chosen");
    assertThat(desirableFraction(p2)).isGreaterThan(before + 0.2);
  }

  @Test void klPairsAreTheBatchShiftedByOne() {
    List<KtoExample> b = examples(3, 1);
    List<KtoExample> kl = KtoTrainer.mismatched(b, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(kl.get(i).prompt()).isEqualTo(b.get(i).prompt());
      assertThat(kl.get(i).completion()).isEqualTo(b.get((i + 2) % 3).completion());
    }
  }

  @Test void rejectsBadInput() {
    assertThatThrownBy(() -> KtoConfig.defaults(tmp).withBatchSize(1)).hasMessageContaining("batchSize >= 2");
    assertThat(KtoConfig.defaults(tmp).withVariant(new KtoLoss.Bco(0.1)).withBatchSize(1).batchSize()).isEqualTo(1);
    assertThatThrownBy(() -> new KtoExample(new long[0], new long[] {1}, true)).hasMessageContaining("prompt");
    assertThat(new KtoExample(new long[] {1, 2, 3, 4}, new long[] {5, 6, 7}, true).truncated(5).prompt()).containsExactly(3, 4);
    assertThatThrownBy(() -> KtoTrainer.run(TinyTask.policy(1), null, List.of(), KtoConfig.defaults(tmp)))
        .hasMessageContaining("at least one");
  }
}
