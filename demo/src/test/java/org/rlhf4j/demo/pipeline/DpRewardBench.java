package org.rlhf4j.demo.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.rlhf4j.privacy.accounting.Accountant;
import org.rlhf4j.privacy.accounting.PrvAccountant;
import org.rlhf4j.privacy.accounting.RdpAccountant;
import org.rlhf4j.privacy.mia.LossThresholdAttack;
import org.rlhf4j.privacy.mia.OneRunAudit;
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
 * {@code rlhf4j demo}, resumable in OUT): held-out pairwise accuracy, the loss-threshold membership attack (members:
 * training pairs, as many as there are non-members; non-members: held-out pairs) and CPU / wall time per step. One
 * JSON line per arm.
 *
 * <p>Arguments: OUT [size small|default|memorise], then positionally [seed] [epsilons] [steps] [batch] [dp lr] [clip]
 * or as {@code key=value}: {@code seed, eps} (a comma list: one DP arm per ε), {@code steps, batch, lr} (non-private),
 * {@code dp_lr, clip, pairs} (training pairs kept, 0 = all), {@code canaries} (that many training pairs and as many
 * held-out ones with their label flipped: the attack on them is reported apart, as privacy audits do with canaries),
 * {@code accountant rdp|prv} (which one solves σ for ε), {@code arms} (e.g. {@code non-private}), {@code world} (the
 * demo world's seed, default {@code seed}: the preference data, reused from OUT; {@code seed} alone then varies the
 * reward model's initialisation, the pairs kept, the canaries and the sampling), {@code audit} (that many further
 * training-pool pairs, swapped, each put into the training data by a fair coin: the one-run ε lower bound of
 * {@link OneRunAudit} at 95% confidence on them, {@code audit_*} in the line), {@code held fifth|rest} (the
 * attack's sets: {@code fifth}, as many random clean training pairs as there are held-out pairs against the held-out
 * fifth; {@code rest}, every clean training pair against every pair the model never saw, the held-out fifth and the
 * training pool's pairs left out by {@code pairs}, for a smaller standard error; held-out accuracy stays on the fifth).
 * {@code default} is the demo's own world and model (hidden 128, 4 layers, 1,500 + 800 pre-training and SFT
 * steps); {@code small} the quick demo's model (hidden 64, 2 layers) with 400 + 200 steps, on as many comparisons as
 * the default (3,000 items), for a loaded machine; {@code memorise} is {@code small}'s world and model trained on 200
 * pairs for 600 steps of 16 (48 passes), so that the non-private model memorises its pairs.
 *
 * <pre>
 * mvn -q -B -ntp -o -pl demo -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/cp.txt
 * java --add-modules jdk.incubator.vector -cp demo/target/test-classes:demo/target/classes:$(cat cp.txt) \
 *   org.rlhf4j.demo.pipeline.DpRewardBench runs/dp-bench memorise seed=1 eps=8,1
 * </pre>
 */
public final class DpRewardBench {
  private static final List<String> POSITIONAL = List.of("seed", "eps", "steps", "batch", "dp_lr", "clip");
  private static final double DELTA = 1e-5;

  private DpRewardBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "runs/dp-bench");
    String size = args.length > 1 ? args[1] : "small";
    Map<String, String> o = options(size, Arrays.copyOfRange(args, Math.min(2, args.length), args.length));
    long seed = Long.parseLong(o.get("seed")), world = o.get("world").isEmpty() ? seed : Long.parseLong(o.get("world"));
    int steps = Integer.parseInt(o.get("steps")), batch = Integer.parseInt(o.get("batch"));
    DemoConfig demo = switch (size) {
      case "default" -> DemoConfig.defaults(out, world, false);
      case "small", "memorise" -> new DemoConfig(out, world, false, false, 64, 2, 4, 2, 160, 8000, 400, 200, 3000, 3, 9, steps, 8, 16, 12, 4, 60, 24,
          0.2, 5e-5, 0.1, "sigmoid", null, null);
      default -> throw new IllegalArgumentException("size must be small, default or memorise, got " + size);
    };
    DemoPipeline.RewardData data = new DemoPipeline(demo).rewardData();
    Split split = Split.of(data.groups(), Integer.parseInt(o.get("pairs")), Integer.parseInt(o.get("canaries")),
        Integer.parseInt(o.get("audit")), seed, Split.Held.of(o.get("held")));
    Accountant accountant = o.get("accountant").equals("prv") ? PrvAccountant.opacus() : RdpAccountant.opacus();
    List<String> arms = new ArrayList<>();
    if (o.get("arms").contains("non-private")) arms.add("non-private");
    if (o.get("arms").contains("dp-sgd")) for (String e : o.get("eps").split(",")) arms.add("dp-sgd:" + e.trim());
    RewardOptions opts = RewardOptions.defaults().withBatchSize(batch).withLoss(new RewardLoss.Config(0.0, 0.01));
    for (String arm : arms) {
      String load = String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      boolean dp = arm.startsWith("dp-sgd");
      double epsilon = dp ? Double.parseDouble(arm.substring(arm.indexOf(':') + 1)) : Double.POSITIVE_INFINITY;
      double q = Math.min(batch, split.train().size()) / (double) split.train().size();
      double sigma = dp ? accountant.noiseFor(epsilon, q, steps, DELTA) : 0;
      double clip = Double.parseDouble(o.get("clip"));
      RewardModel rm = RewardModel.init(data.sft().copy(DType.F32), data.sftDir(), seed);
      TrainConfig cfg = TrainConfig.defaults(out.resolve(String.format(Locale.ROOT, "bench-%s-seed%d-%s-n%d-b%d-t%d", size, seed,
          arm.replace(':', '-'), split.train().size(), batch, steps))).toBuilder()
          .lr(Double.parseDouble(o.get(dp ? "dp_lr" : "lr"))).maxSteps(steps).warmupSteps(Math.min(20, steps / 10)).weightDecay(0.01)
          .seed(seed).logEvery(Math.max(1, steps / 10)).saveEvery(0).build();
      long cpu0 = cpuNanos(), wall0 = System.nanoTime();
      TrainResult r = dp
          ? RewardTrainer.trainGroupsPrivately(rm, split.train(), cfg, opts, new DpSgdConfig(sigma, clip, DELTA, batch, split.train().size(), seed, accountant.name()), null)
          : RewardTrainer.trainGroups(rm, split.train(), cfg, opts, null);
      double cpu = (cpuNanos() - cpu0) / 1e9, wall = (System.nanoTime() - wall0) / 1e9;
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("bench", "dp-reward");
      line.put("arm", dp ? "dp-sgd" : arm);
      line.put("size", size);
      line.put("seed", seed);
      line.put("world_seed", world);
      line.put("train_pairs", split.train().size());
      line.put("heldout_pairs", split.test().size());
      line.put("canaries", split.canaries().size());
      line.put("steps", r.step());
      line.put("expected_batch", batch);
      line.put("passes", steps * (double) Math.min(batch, split.train().size()) / split.train().size());
      if (dp) {
        line.put("epsilon_target", epsilon);
        line.put("accountant", accountant.name());
        line.put("sigma", sigma);
        line.put("clip", clip);
        line.put("sample_rate", q);
        line.put("delta", DELTA);
        line.put("epsilon_rdp", RdpAccountant.opacus().epsilon(sigma, q, steps, DELTA));
      }
      line.put("lr", cfg.lr());
      line.put("heldout_accuracy", rm.accuracy(split.test()));
      line.put("train_accuracy", rm.accuracy(split.train()));
      line.put("mia_held", o.get("held"));
      attack(line, "mia", rm, split.members(), split.nonMembers());
      if (!split.canaries().isEmpty()) attack(line, "canary_mia", rm, split.canaries(), split.heldCanaries());
      if (!split.auditIn().isEmpty() && !split.auditOut().isEmpty()) audit(line, rm, split);
      line.put("cpu_s", cpu);
      line.put("wall_s", wall);
      line.put("cpu_s_per_step", cpu / r.step());
      line.put("load_average_at_start", load);
      line.put("cores", Runtime.getRuntime().availableProcessors());
      System.out.println(new ObjectMapper().writeValueAsString(line));
    }
  }

  /** The size's defaults, then positional arguments in {@link #POSITIONAL}'s order, then {@code key=value} ones. */
  static Map<String, String> options(String size, String[] args) {
    boolean memorise = size.equals("memorise");
    Map<String, String> o = new HashMap<>(Map.of("seed", "1", "eps", "8", "steps", "600", "batch", "16", "lr", "5e-4",
        "dp_lr", memorise ? "2e-3" : "5e-4", "clip", "1.0", "pairs", memorise ? "200" : "0", "canaries", "0", "accountant", "rdp"));
    o.put("audit", "0");
    o.put("arms", "non-private,dp-sgd");
    o.put("world", "");
    o.put("held", "fifth");
    int position = 0;
    for (String a : args) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? POSITIONAL.get(position++) : a.substring(0, eq);
      if (!o.containsKey(key)) throw new IllegalArgumentException("unknown option '" + key + "' (known: " + new java.util.TreeSet<>(o.keySet()) + ")");
      o.put(key, eq < 0 ? a : a.substring(eq + 1));
    }
    return o;
  }

  /**
   * Training, held-out and attack sets: the first fifth held out (as the demo), the rest shuffled and cut to
   * {@code pairs} (0 = all); {@code canaries} training pairs and as many held-out ones get their sides swapped (the
   * raters' less preferred response labelled preferred: what a model can only get right by memorising it). With
   * {@code audit} > 0 the first {@code audit} pairs of the shuffled training pool are audit canaries (swapped; each
   * joins the training data, at the end, on a fair coin) and the {@code pairs} come after them.
   */
  record Split(List<Group> train, List<Group> test, List<Group> members, List<Group> nonMembers, List<Group> canaries,
      List<Group> heldCanaries, List<Group> auditIn, List<Group> auditOut) {
    /** Which pairs the membership attack compares (see the class's {@code held} option). */
    enum Held {
      FIFTH, REST;

      static Held of(String name) {
        return switch (name) {
          case "fifth" -> FIFTH;
          case "rest" -> REST;
          default -> throw new IllegalArgumentException("held must be fifth or rest, got '" + name + "'");
        };
      }
    }

    static Split of(List<Group> groups, int pairs, int canaries, int audit, long seed) {
      return of(groups, pairs, canaries, audit, seed, Held.FIFTH);
    }

    static Split of(List<Group> groups, int pairs, int canaries, int audit, long seed, Held held) {
      int fifth = Math.max(1, groups.size() / 5);
      List<Group> test = new ArrayList<>(groups.subList(0, fifth));
      List<Group> train = new ArrayList<>(groups.subList(fifth, groups.size()));
      List<Group> auditIn = new ArrayList<>(), auditOut = new ArrayList<>(), unused = new ArrayList<>();
      if (audit < 0 || audit >= train.size()) throw new IllegalArgumentException("audit must be in [0, " + train.size() + "), got " + audit);
      if (pairs > 0 || audit > 0) {
        Collections.shuffle(train, new Random(seed));
        Random coins = new Random(seed ^ 0x5DEECE66DL);
        for (Group g : train.subList(0, audit)) (coins.nextBoolean() ? auditIn : auditOut).add(swapped(g));
        int end = pairs > 0 ? Math.min(audit + pairs, train.size()) : train.size();
        unused.addAll(train.subList(end, train.size()));
        train = new ArrayList<>(train.subList(audit, end));
      }
      if (2 * canaries > train.size() || 2 * canaries > test.size()) throw new IllegalArgumentException("canaries must be at most half the pairs, got " + canaries);
      List<Group> flipped = new ArrayList<>(), heldFlipped = new ArrayList<>();
      for (int i = 0; i < canaries; i++) {
        train.set(i, swapped(train.get(i)));
        flipped.add(train.get(i));
        heldFlipped.add(swapped(test.remove(test.size() - 1))); // the canaries' non-members leave the held-out set
      }
      List<Group> clean = new ArrayList<>(train.subList(canaries, train.size()));
      Collections.shuffle(clean, new Random(seed));
      train.addAll(auditIn);
      if (held == Held.REST) {
        List<Group> nonMembers = new ArrayList<>(test);
        nonMembers.addAll(unused);
        return new Split(train, test, clean, nonMembers, flipped, heldFlipped, auditIn, auditOut);
      }
      return new Split(train, test, clean.subList(0, Math.min(test.size(), clean.size())), test, flipped, heldFlipped, auditIn, auditOut);
    }

    private static Group swapped(Group g) { return new Group(g.responses(), g.rejected(), g.chosen(), g.prob(), g.truncated()); }
  }

  private static void attack(Map<String, Object> line, String name, RewardModel rm, List<Group> members, List<Group> nonMembers) {
    LossThresholdAttack.Result mia = LossThresholdAttack.evaluate(losses(rm, members), losses(rm, nonMembers), 0.01);
    line.put(name + "_auc", mia.auc());
    line.put(name + "_auc_se", mia.aucStandardError());
    line.put(name + "_tpr_at_fpr_0.01", mia.tprAtFpr());
    line.put(name + "_members", mia.members());
    line.put(name + "_non_members", mia.nonMembers());
  }

  /** The one-run ε lower bound (95% confidence, the bench's δ) on the audit canaries' losses, and their attack AUC. */
  private static void audit(Map<String, Object> line, RewardModel rm, Split split) {
    double[] in = losses(rm, split.auditIn()), out = losses(rm, split.auditOut());
    if (in.length + out.length != split.auditIn().size() + split.auditOut().size()) {
      throw new IllegalStateException("audit: one coin per canary needs one pair per group"); // pairs of a group would share a coin
    }
    OneRunAudit.Result a = OneRunAudit.audit(in, out, DELTA, 0.05);
    line.put("audit_canaries_in", in.length);
    line.put("audit_canaries_out", out.length);
    line.put("audit_auc", LossThresholdAttack.evaluate(in, out, 0.01).auc());
    line.put("audit_epsilon_lower_bound", a.epsilonLowerBound());
    line.put("audit_guesses", a.guesses());
    line.put("audit_correct", a.correct());
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
