package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.testkit.Shared;
import org.rlhf4j.training.reward.RewardModel;

/**
 * PPO and GRPO data-parallel over c10d Gloo on loopback: two ranks, each sampling, scoring and updating on half of
 * every iteration's prompts (PPO whitening global, GRPO groups whole on a rank), against one rank on the whole batch.
 * Each response is drawn from its own seeded stream, so both sample the same rollout (the check: same mean score).
 */
class OnPolicyDataParallelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path model, rm, prompts;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    rm = tmp.resolve("rm");
    RewardModel.init(model, 1).save(rm);
    prompts = tmp.resolve("prompts.jsonl");
    Files.write(prompts, List.of("{\"prompt\": \"Once upon a time\"}", "{\"prompt\": \"The cat\"}", "{\"prompt\": \"Lily went\"}",
        "{\"prompt\": \"The sun was\"}"));
    Files.writeString(tmp.resolve("ppo.yaml"), "num_ppo_epochs: 1\nnum_mini_batches: 1\n");
    Files.writeString(tmp.resolve("grpo.yaml"), "num_iterations: 1\nnum_mini_batches: 1\n");
  }

  private static List<String> args(String cmd, Path out) {
    List<String> a = new ArrayList<>(List.of(cmd, "--config", tmp.resolve(cmd + ".yaml").toString(), "--model", model.toString(),
        "--data", prompts.toString(), "--reward-model", rm.toString(), "--output", out.toString(), "--max-steps", "2",
        "--batch-size", "4", "--max-new-tokens", "5", "--lr", "1e-3", "--seed", "3", "--temperature", "1.0"));
    if (cmd.equals("grpo")) a.addAll(List.of("--k", "2", "--beta", "0.1"));
    return a;
  }

  /** Each iteration's metrics line (one optimizer step each here). */
  private static List<JsonNode> lines(Path out) throws Exception {
    List<JsonNode> l = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      JsonNode r = JSON.readTree(line);
      if (r.has("loss")) l.add(r);
    }
    return l;
  }

  @Test void ppoAndGrpoOnTwoRanksTrainAsOneRankOnTheWholeBatch() throws Exception {
    for (String cmd : List.of("ppo", "grpo")) {
      Path one = tmp.resolve(cmd + "-1"), two = tmp.resolve(cmd + "-2");
      assertThat(LaunchCommand.run(1, 1, LaunchCommand.freePort(), args(cmd, one))).as(cmd + " on 1 rank").isZero();
      // the ranks' gradients (1.04 MB) in 1 MB buckets: two all-reduces in flight
      assertThat(LaunchCommand.run(2, 1, LaunchCommand.freePort(), args(cmd, two), Map.of("RLHF4J_DIST_BUCKET_MB", "1")))
          .as(cmd + " on 2 ranks").isZero();
      List<JsonNode> a = lines(one), b = lines(two);
      assertThat(b).as(cmd + ": rank 0 alone writes, one line per iteration").hasSize(2);
      assertThat(a).hasSize(2);
      String score = "objective/scores";
      assertThat(b.get(0).get(score).asDouble()).as(cmd + ": the same rollout").isCloseTo(a.get(0).get(score).asDouble(), within(1e-5));
      // PPO's policy/value losses are token means per rank (as DDP): equal to the whole batch's mean only when the ranks
      // hold as many response tokens; every response runs to --max-new-tokens here (no EOS in 5 tokens)
      assertThat(a.get(0).get("response_length_mean").asDouble()).as(cmd + ": responses of full length").isEqualTo(5.0);
      for (String k : List.of("loss", "grad_norm")) {
        double x = a.get(0).get(k).asDouble(), y = b.get(0).get(k).asDouble();
        System.out.printf("%s %s: 1 rank %.8g, 2 ranks %.8g%n", cmd, k, x, y);
        // GRPO's first loss is a cancelling sum (group-centred advantages, ratio 1) of O(1) terms: about 1e-8 on one rank,
        // and on two the rollout's and the update's log-probs come from batches of other shapes, whose f32 rounding
        // (about 1e-7 per token) leaves it near 1e-6; 1e-5 is still far below any real difference of the two runs
        assertThat(y).as(cmd + " step 1 " + k).isCloseTo(x, within(1e-4 * Math.abs(x) + 1e-5));
      }
      assertThat(b.get(1).get(score).asDouble()).as(cmd + ": iteration 2's rollout after one averaged update")
          .isCloseTo(a.get(1).get(score).asDouble(), within(1e-4));
      weightsAgree(cmd, one, two);
    }
  }

  private static void weightsAgree(String cmd, Path one, Path two) {
    try (NativeScope s = NativeScope.open()) {
      Map<String, Tensor> x = Safetensors.load(one.resolve(Safetensors.SINGLE)), y = Safetensors.load(two.resolve(Safetensors.SINGLE));
      Map<String, Tensor> base = Safetensors.load(model.resolve(Safetensors.SINGLE));
      double diff = 0, moved = 0;
      for (String k : x.keySet()) {
        diff += Tensors.item(x.get(k).sub(y.get(k)).abs().sum());
        if (base.containsKey(k)) moved += Tensors.item(x.get(k).sub(base.get(k)).abs().sum());
      }
      System.out.printf("%s: 2 ranks vs 1 rank after 2 iterations: total |weight difference| %.3g, total |movement| %.3g%n", cmd, diff, moved);
      assertThat(moved).as(cmd + ": training moved the weights").isGreaterThan(1e-3);
      assertThat(diff).as(cmd + ": weight difference, 2 ranks vs 1 (movement " + moved + ")").isLessThan(1e-3 * moved);
    }
  }
}
