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

/**
 * Data-parallel training over c10d Gloo on loopback: two ranks, each on half of every batch with averaged gradients,
 * end with the loss curve and weights of one process trained on the whole batches; only rank 0 writes.
 */
class DataParallelCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    Files.writeString(tmp.resolve("corpus.txt"), "Tom had a red ball. He liked to play with it in the park every day.\n\n"
        + "Lily saw a big dog. The dog was happy and it ran to her. She gave it a bone and they played.\n\n"
        + "One day the sun was hot. Ben went to the sea with his mom and they swam and ate cake.\n");
    Files.write(tmp.resolve("prefs.jsonl"), List.of(
        "{\"prompt\": \"Once upon a time\", \"chosen\": \" there was a dog.\", \"rejected\": \" the end\"}",
        "{\"prompt\": \"The cat\", \"chosen\": \" sat on the mat.\", \"rejected\": \" no\"}",
        "{\"prompt\": \"Lily went\", \"chosen\": \" to the park with her mom.\", \"rejected\": \" away\"}",
        "{\"prompt\": \"The sun\", \"chosen\": \" was warm.\", \"rejected\": \" cold cold cold\"}"));
    Files.writeString(tmp.resolve("every-step.yaml"), "log_every: 1\n");
  }

  private static List<String> args(String cmd, Path out) {
    List<String> a = new ArrayList<>(List.of(cmd, "--config", tmp.resolve("every-step.yaml").toString(), "--model", model.toString(), "--output", out.toString(), "--max-steps", "4",
        "--batch-size", "4", "--lr", "1e-2", "--seed", "3"));
    if (cmd.equals("pretrain")) a.addAll(List.of("--data", tmp.resolve("corpus.txt").toString(), "--seq-length", "16"));
    else a.addAll(List.of("--data", tmp.resolve("prefs.jsonl").toString()));
    return a;
  }

  /** Each logged step's loss and gradient norm. */
  private static List<double[]> steps(Path out) throws Exception {
    List<double[]> l = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      JsonNode r = JSON.readTree(line);
      if (r.has("loss")) l.add(new double[] {r.get("loss").asDouble(), r.get("grad_norm").asDouble()});
    }
    return l;
  }

  private static void assertSameRun(String cmd, Path single, Path ranks) throws Exception {
    List<double[]> a = steps(single), b = steps(ranks);
    assertThat(a).as(cmd + " logged steps (rank 0 alone writes)").hasSize(4).hasSameSizeAs(b);
    // step 1 is before any update: the averaged gradient itself
    assertThat(b.get(0)[0]).as(cmd + " step 1 loss").isCloseTo(a.get(0)[0], within(1e-5 * a.get(0)[0]));
    assertThat(b.get(0)[1]).as(cmd + " step 1 grad_norm").isCloseTo(a.get(0)[1], within(1e-5 * a.get(0)[1]));
    // later steps: float32 sums in another order (shards, thread counts) compound through Adam, whose first steps move
    // every weight by about lr whatever its gradient's size (measured: loss 2.3e-5 apart on 3.15 after 4 steps; total weight difference 2e-5 of the movement)
    for (int i = 1; i < a.size(); i++) assertThat(b.get(i)[0]).as("%s step %d loss", cmd, i + 1).isCloseTo(a.get(i)[0], within(1e-4 * a.get(i)[0]));
    try (NativeScope s = NativeScope.open()) {
      Map<String, Tensor> x = Safetensors.load(single.resolve(Safetensors.SINGLE)), y = Safetensors.load(ranks.resolve(Safetensors.SINGLE));
      Map<String, Tensor> base = Safetensors.load(model.resolve(Safetensors.SINGLE));
      assertThat(y.keySet()).isEqualTo(x.keySet());
      double diff = 0, moved = 0, maxDiff = 0;
      for (String k : x.keySet()) {
        diff += Tensors.item(x.get(k).sub(y.get(k)).abs().sum());
        maxDiff = Math.max(maxDiff, Tensors.item(x.get(k).sub(y.get(k)).abs().max()));
        if (base.containsKey(k)) moved += Tensors.item(x.get(k).sub(base.get(k)).abs().sum());
      }
      System.out.printf("%s: 2 ranks vs 1 process: total |weight difference| %.3g (largest %.3g), total |movement| %.3g%n",
          cmd, diff, maxDiff, moved);
      assertThat(moved).as(cmd + ": training moved the weights").isGreaterThan(1e-2);
      assertThat(diff).as(cmd + ": total weight difference, 2 ranks vs 1 process (movement " + moved + ")").isLessThan(1e-4 * moved);
    }
  }

  @Test void twoRanksOnLoopbackTrainAsOneProcessOnTheWholeBatch() throws Exception {
    for (String cmd : List.of("pretrain", "dpo")) {
      Path single = tmp.resolve(cmd + "-1"), two = tmp.resolve(cmd + "-2");
      CliRun one = CliRun.of(args(cmd, single).toArray(String[]::new));
      assertThat(one.code()).as(cmd + ": " + one.err()).isZero();
      int code = LaunchCommand.run(2, 1, LaunchCommand.freePort(), args(cmd, two));
      assertThat(code).as(cmd + " on 2 ranks").isZero();
      assertSameRun(cmd, single, two);
      assertThat(two.resolve("checkpoint-4")).isDirectory();
      assertThat(Files.readString(two.resolve("metrics.jsonl"))).contains("dp/allreduce_s"); // rank 0's log, once per step
    }
  }

  @Test void launchRefusesCommandsAndBatchesItCannotSplit() throws Exception {
    CliRun kto = CliRun.of("launch", "--nproc", "2", "--", "kto", "--model", model.toString());
    assertThat(kto.code()).isEqualTo(2);
    assertThat(kto.err()).contains("'kto' does not train data-parallel");
    List<String> odd = args("dpo", tmp.resolve("odd"));
    odd.set(odd.indexOf("--batch-size") + 1, "3");
    assertThat(LaunchCommand.run(2, 1, LaunchCommand.freePort(), odd)).isNotZero();
  }
}
