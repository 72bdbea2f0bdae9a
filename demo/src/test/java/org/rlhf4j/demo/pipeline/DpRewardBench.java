package org.rlhf4j.demo.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rlhf4j.privacy.accounting.RdpAccountant;
import org.rlhf4j.privacy.mia.LossThresholdAttack;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.dp.DpSgdConfig;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.RewardLoss;
import org.rlhf4j.training.reward.Group;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.reward.RewardTrainer;

/**
 * DP-SGD against ordinary training of the demo's reward model, on the demo's preference data (stages 1-3 of
 * {@code rlhf4j demo}, resumable in OUT): held-out pairwise accuracy, the loss-threshold membership attack (members: as
 * many training pairs as there are held-out ones; non-members: the held-out pairs) and CPU / wall time per step. One
 * JSON line per arm. Arguments: OUT [size small|default] [seed 1] [epsilon 8] [steps 600] [batch 16] [dp lr 5e-4]
 * [clip 1.0]. {@code default} is the demo's own world and model (hidden 128, 4 layers, 1,500 + 800 pre-training and
 * SFT steps); {@code small} the quick demo's model (hidden 64, 2 layers) with 400 + 200 steps, on as many
 * comparisons as the default (3,000 items), for a loaded machine.
 *
 * <pre>
 * mvn -q -B -ntp -o -pl demo -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/cp.txt
 * java -cp demo/target/test-classes:demo/target/classes:$(cat cp.txt) org.rlhf4j.demo.pipeline.DpRewardBench runs/dp-bench small
 * </pre>
 */
public final class DpRewardBench {
  private DpRewardBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "runs/dp-bench");
    String size = args.length > 1 ? args[1] : "small";
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    double epsilon = args.length > 3 ? Double.parseDouble(args[3]) : 8;
    int steps = args.length > 4 ? Integer.parseInt(args[4]) : 600;
    int batch = args.length > 5 ? Integer.parseInt(args[5]) : 16;
    double dpLr = args.length > 6 ? Double.parseDouble(args[6]) : 5e-4;
    double clip = args.length > 7 ? Double.parseDouble(args[7]) : 1.0;
    DemoConfig demo = switch (size) {
      case "default" -> DemoConfig.defaults(out, seed, false);
      case "small" -> new DemoConfig(out, seed, false, false, 64, 2, 4, 2, 160, 8000, 400, 200, 3000, 3, 9, steps, 8, 16, 12, 4, 60, 24,
          0.2, 5e-5, 0.1, "sigmoid", null, null);
      default -> throw new IllegalArgumentException("size must be small or default, got " + size);
    };
    DemoPipeline.RewardData data = new DemoPipeline(demo).rewardData();
    List<Group> groups = data.groups();
    int held = Math.max(1, groups.size() / 5); // as the demo: the first fifth held out
    List<Group> train = groups.subList(held, groups.size()), test = groups.subList(0, held);
    List<Group> members = new ArrayList<>(train);
    java.util.Collections.shuffle(members, new Random(seed));
    members = members.subList(0, Math.min(held, members.size()));
    double delta = 1e-5;
    double q = Math.min(batch, train.size()) / (double) train.size();
    double sigma = RdpAccountant.opacus().noiseFor(epsilon, q, steps, delta);
    RewardOptions opts = RewardOptions.defaults().withBatchSize(batch).withLoss(new RewardLoss.Config(0.0, 0.01));
    String load = String.format(java.util.Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (String arm : new String[] {"non-private", "dp-sgd"}) {
      boolean dp = arm.equals("dp-sgd");
      RewardModel rm = RewardModel.init(data.sft().copy(DType.F32), data.sftDir(), seed);
      TrainConfig cfg = TrainConfig.defaults(out.resolve("bench-" + arm)).toBuilder().lr(dp ? dpLr : 5e-4).maxSteps(steps)
          .warmupSteps(Math.min(20, steps / 10)).weightDecay(0.01).seed(seed).logEvery(Math.max(1, steps / 10)).saveEvery(0).build();
      long cpu0 = cpuNanos(), wall0 = System.nanoTime();
      TrainResult r = dp
          ? RewardTrainer.trainGroupsPrivately(rm, train, cfg, opts, new DpSgdConfig(sigma, clip, delta, batch, train.size(), seed), null)
          : RewardTrainer.trainGroups(rm, train, cfg, opts, null);
      double cpu = (cpuNanos() - cpu0) / 1e9, wall = (System.nanoTime() - wall0) / 1e9;
      LossThresholdAttack.Result mia = LossThresholdAttack.evaluate(losses(rm, members), losses(rm, test), 0.01);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("bench", "dp-reward");
      line.put("arm", arm);
      line.put("size", size);
      line.put("seed", seed);
      line.put("train_pairs", train.size());
      line.put("heldout_pairs", test.size());
      line.put("steps", r.step());
      line.put("expected_batch", batch);
      if (dp) {
        line.put("sigma", sigma);
        line.put("clip", clip);
        line.put("sample_rate", q);
        line.put("delta", delta);
        line.put("epsilon_rdp", RdpAccountant.opacus().epsilon(sigma, q, steps, delta));
      }
      line.put("lr", cfg.lr());
      line.put("heldout_accuracy", rm.accuracy(test));
      line.put("train_accuracy", rm.accuracy(train));
      line.put("mia_auc", mia.auc());
      line.put("mia_tpr_at_fpr_0.01", mia.tprAtFpr());
      line.put("cpu_s", cpu);
      line.put("wall_s", wall);
      line.put("cpu_s_per_step", cpu / r.step());
      line.put("load_average_at_start", load);
      line.put("cores", Runtime.getRuntime().availableProcessors());
      System.out.println(new ObjectMapper().writeValueAsString(line));
    }
  }

  /** Each comparison's Bradley-Terry loss under its soft label: −(p log σ(d) + (1 − p) log σ(−d)), d = r_chosen − r_rejected. */
  static double[] losses(RewardModel rm, List<Group> groups) {
    List<Row> rows = new ArrayList<>();
    for (Group g : groups) rows.addAll(g.responses());
    double[] r = rm.scoreRows(rows);
    List<Double> out = new ArrayList<>();
    int offset = 0;
    for (Group g : groups) {
      for (int k = 0; k < g.pairs(); k++) {
        double d = r[offset + g.chosen()[k]] - r[offset + g.rejected()[k]], p = g.prob()[k];
        out.add(p * softplus(-d) + (1 - p) * softplus(d));
      }
      offset += g.responses().size();
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double softplus(double x) { return x > 30 ? x : Math.log1p(Math.exp(x)); }

  /** This process's CPU time (all threads, libtorch's and OpenBLAS's included). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
