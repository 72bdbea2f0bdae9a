package org.rlhf4j.demo.sentiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.data.Datasets;
import org.rlhf4j.data.LabelledText;
import org.rlhf4j.data.format.LabelledTexts;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.bert.BertEncoder;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.dpo.DpoConfig;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.dpo.DpoTrainer;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.DpoLoss;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.KlEstimator;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.ppo.PpoConfig;
import org.rlhf4j.training.ppo.PpoTrainer;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.reward.RewardTrainer;
import org.rlhf4j.training.rollout.Scorer;

/**
 * The controlled-sentiment experiment of the DPO paper (Rafailov et al. 2023, Figure 2) at CPU scale, on real
 * pretrained models: llama2.c's stories260K writes the continuation of a story opening; the proxy reward is a MiniLM
 * sentiment classifier fine-tuned on SST-2, the gold judge another MiniLM fine-tuned on IMDb reviews (other data,
 * other seed; never seen by training). PPO (several KL coefficients), DPO on policy samples labelled by the proxy
 * (several betas) and best-of-n (several n) each give points of gold P(positive) against KL to the reference.
 *
 * <p>Every stage writes its result into the output folder stamped with the settings ({@link SentimentConfig#rmKey},
 * {@link SentimentConfig#ppoKey}, ...: each names only what that stage depends on, so new PPO settings retrain PPO alone);
 * a re-run with the same settings loads finished stages and resumes the interrupted one from its checkpoint.
 */
public final class SentimentExample {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SentimentConfig cfg;
  private final Reporter log = Reporter.get();
  private final long started = System.nanoTime();
  private final long startedCpu = cpuNanos();

  public SentimentExample(SentimentConfig cfg) { this.cfg = cfg; }

  /** Runs (or resumes) every stage; returns the path of summary.json. */
  public Path run() throws IOException {
    org.rlhf4j.runtime.Runtime.threads(1, java.lang.Runtime.getRuntime().availableProcessors());
    Path stories = cfg.shared().resolve("fixtures/stories260K");
    for (Path p : List.of(stories, cfg.shared().resolve("data/sst2"), cfg.shared().resolve("data/imdb-small"))) {
      if (!Files.exists(p)) throw new IllegalArgumentException(p + " is absent: pass the shared data folder (--shared)");
    }
    Files.createDirectories(cfg.output());
    stage("1/5 proxy reward: MiniLM sentiment classifier on SST-2");
    Map<String, Object> proxyInfo = new LinkedHashMap<>();
    RewardModel proxyRm = proxyReward(proxyInfo);
    stage("2/5 gold judge: MiniLM sentiment classifier on IMDb (other data, other seed)");
    Map<String, Object> goldInfo = new LinkedHashMap<>();
    RewardModel goldRm = goldReward(goldInfo);

    stage("3/5 reference policy stories260K and best-of-n");
    Tokenizer tok = Tokenizer.load(stories);
    CausalLM reference = CausalLM.load(stories).requiresGrad(false);
    List<long[]> train = ids(tok, StoryPrompts.train(cfg.trainPrompts()), 1);
    List<long[]> eval = ids(tok, StoryPrompts.eval(cfg.evalPrompts()), cfg.samplesPerEval());
    Judge judge = new Judge(tok, reference, proxyRm, goldRm, eval, cfg.maxNewTokens(), cfg.seed());
    List<Judge.Point> points = new ArrayList<>();
    points.add(point("reference", "", () -> judge.policy("reference", "", reference)));
    for (int n : cfg.bestOfN()) points.add(point("best_of_n", "n=" + n, () -> judge.bestOfN(n)));

    stage("4/5 PPO against the proxy at KL coefficients " + cfg.ppo().betas());
    for (double beta : cfg.ppo().betas()) {
      String s = "beta=" + beta;
      points.add(point("ppo", s, () -> judge.policy("ppo", s, ppo(reference, tok, train, judge.proxy(), beta))));
    }
    stage("5/5 DPO on policy samples labelled by the proxy at betas " + cfg.dpo().betas());
    List<DpoPair> pairs = new ArrayList<>();  // sampled on first use: not when every DPO point is loaded
    for (double beta : cfg.dpo().betas()) {
      String s = "beta=" + beta;
      points.add(point("dpo", s, () -> {
        if (pairs.isEmpty()) pairs.addAll(dpoPairs(reference, tok, train, judge));
        return judge.policy("dpo", s, dpo(reference, pairs, beta));
      }));
    }
    Path summary = SentimentReport.write(cfg, points, proxyInfo, goldInfo, seconds(), cpuSeconds());
    log.info("done in %.0f s (%.0f CPU-seconds): %s, %s", seconds(), cpuSeconds(), cfg.output().resolve("report.html"), summary);
    return summary;
  }

  private RewardModel proxyReward(Map<String, Object> info) throws IOException {
    List<LabelledText> all = LabelledTexts.read(cfg.shared().resolve("data/sst2/train.tsv"));
    List<LabelledText> test = LabelledTexts.read(cfg.shared().resolve("data/sst2/test.tsv"));
    List<LabelledText> shuffled = Datasets.split(all, 0, cfg.rmSeed()).train();
    List<LabelledText> train = shuffled.subList(0, Math.min(shuffled.size(), cfg.proxyRm().texts()));
    return reward("proxy-rm", cfg.proxyRm(), train, test.subList(0, Math.min(test.size(), cfg.rmEvalTexts())), cfg.rmSeed() + 1, info,
        "SST-2 train (" + train.size() + " sentences)", "SST-2 test");
  }

  private RewardModel goldReward(Map<String, Object> info) throws IOException {
    List<LabelledText> all = LabelledTexts.read(cfg.shared().resolve("data/imdb-small/imdb_small.csv"));
    Datasets.Split<LabelledText> split = Datasets.split(all, 1.0 / 3, cfg.rmSeed() + 2);
    List<LabelledText> train = split.train().subList(0, Math.min(split.train().size(), cfg.goldRm().texts()));
    List<LabelledText> test = split.test().subList(0, Math.min(split.test().size(), cfg.rmEvalTexts())); // reviews it never saw
    return reward("gold-rm", cfg.goldRm(), train, test, cfg.rmSeed() + 3, info, "IMDb-small (" + train.size() + " reviews)",
        "held-out IMDb reviews");
  }

  /** Trains (or loads, when finished under these settings) one MiniLM classifier and measures its accuracy. */
  private RewardModel reward(String name, SentimentConfig.Rm rc, List<LabelledText> train, List<LabelledText> test, long seed,
      Map<String, Object> info, String trainedOn, String testedOn) throws IOException {
    Path dir = cfg.output().resolve(name);
    Path done = dir.resolve("accuracy.json");
    boolean resumes = org.rlhf4j.demo.pipeline.StageDir.prepare(dir, cfg.rmKey(name), log);
    if (resumes && Files.isRegularFile(done)) {
      info.putAll(JSON.readValue(done.toFile(), Map.class));
      log.info("    loaded %s (accuracy %s)", dir, info.get("accuracy"));
      return RewardModel.load(dir.resolve("model")).requiresGrad(false).maxLength(rc.maxLength());
    }
    RewardModel rm = RewardModel.init(BertEncoder.miniLm(), SentimentConfig.POOLING, seed).trainableLayers(rc.layers());
    TrainConfig t = TrainConfig.defaults(dir.resolve("model")).toBuilder().lr(rc.lr()).warmupSteps(Math.min(10, rc.steps() / 10))
        .maxSteps(rc.steps()).seed(seed).weightDecay(0.01).logEvery(Math.max(1, rc.steps() / 10))
        .saveEvery(Math.max(1, rc.steps() / 3)).keepCheckpoints(1).resume(true).build();
    long t0 = System.nanoTime(), c0 = cpuNanos();
    RewardTrainer.trainLabelled(rm, train, t, RewardOptions.defaults().withBatchSize(rc.batch()).withMaxLength(rc.maxLength()), null);
    double trainS = (System.nanoTime() - t0) / 1e9, trainCpuS = (cpuNanos() - c0) / 1e9;
    rm.requiresGrad(false);
    double acc = rm.classifierAccuracy(test);
    info.put("backbone", "all-MiniLM-L6-v2, " + SentimentConfig.POOLING.key() + " pooling, top " + rc.layers()
        + " layers + pooler + head fine-tuned");
    info.put("trained_on", trainedOn);
    info.put("steps", rc.steps());
    info.put("batch", rc.batch());
    info.put("max_length", rc.maxLength());
    info.put("lr", rc.lr());
    info.put("accuracy", acc);
    info.put("accuracy_on", testedOn + " (" + test.size() + ")");
    info.put("train_seconds", trainS);
    info.put("train_cpu_seconds", trainCpuS);
    FileOps.writeString(done, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(info));
    log.info("    accuracy %.3f on %d %s (trained %.0f s, %.0f CPU-s)", acc, test.size(), testedOn, trainS, trainCpuS);
    return rm;
  }

  private CausalLM ppo(CausalLM reference, Tokenizer tok, List<long[]> prompts, Scorer proxy, double beta) {
    Path dir = cfg.output().resolve("ppo-" + beta);
    org.rlhf4j.demo.pipeline.StageDir.prepare(dir, cfg.ppoKey(beta), log);
    CausalLM policy = reference.copy(DType.F32);
    SentimentConfig.Ppo pp = cfg.ppo();
    int updates = pp.miniBatches() * pp.epochs();
    TrainConfig t = TrainConfig.defaults(dir).toBuilder().lr(pp.lr()).schedule(Schedule.LINEAR).minLrRatio(0.1)
        .seed(cfg.seed()).logEvery(updates).saveEvery(Math.max(1, pp.iterations() / 3) * updates).keepCheckpoints(1)
        .resume(true).build();
    PpoConfig pc = PpoConfig.defaults(dir).with(pp.iterations(), pp.batch(), pp.miniBatches(), pp.epochs(), cfg.maxNewTokens())
        .withSampling(1.0, tok.stopIds(), 0.0).withKl(KlEstimator.K1, new KlController.Fixed(beta)).withTrain(t)
        .withLoss(PpoConfig.defaults(dir).loss(), SentimentConfig.Ppo.GAE, false).withCritic(SentimentConfig.Ppo.CRITIC);
    PpoTrainer.run(policy, reference, null, proxy, prompts, tok.padId(), pc, null);
    return policy.requiresGrad(false);
  }

  /**
   * dpo.pairsPerPrompt pairs per training opening, each from dpo.samplesPerPair samples of the reference: the proxy's
   * favourite chosen, its least favourite rejected (ties dropped).
   */
  private List<DpoPair> dpoPairs(CausalLM reference, Tokenizer tok, List<long[]> train, Judge judge) {
    List<long[]> ps = new ArrayList<>();
    for (int k = 0; k < cfg.dpo().pairsPerPrompt(); k++) ps.addAll(train);
    int n = cfg.dpo().samplesPerPair();
    long[][][] out = new long[n][][];
    double[][] score = new double[n][];
    for (int j = 0; j < n; j++) {
      out[j] = Generator.generate(reference, ps, tok.padId(), judge.sampling(1001L * (j + 1))).outputIds();
      score[j] = judge.proxy().score(ps, List.of(out[j]));
    }
    List<DpoPair> pairs = new ArrayList<>();
    double gap = 0;
    for (int i = 0; i < ps.size(); i++) {
      int[] bw = bestAndWorst(score, i);
      if (bw == null) continue;
      gap += score[bw[0]][i] - score[bw[1]][i];
      pairs.add(new DpoPair(ps.get(i), out[bw[0]][i], out[bw[1]][i]));
    }
    log.info("    %d preference pairs from %d openings (best vs worst of %d samples; mean proxy gap %.3f)", pairs.size(),
        train.size(), n, gap / Math.max(1, pairs.size()));
    return pairs;
  }

  /**
   * Which of the samples {@code scores[j][row]} (j = 0..k-1) is chosen and which rejected: the first highest and the
   * first lowest; null when all tie.
   */
  static int[] bestAndWorst(double[][] scores, int row) {
    int best = 0, worst = 0;
    for (int j = 1; j < scores.length; j++) {
      if (scores[j][row] > scores[best][row]) best = j;
      if (scores[j][row] < scores[worst][row]) worst = j;
    }
    return scores[best][row] == scores[worst][row] ? null : new int[] {best, worst};
  }

  private CausalLM dpo(CausalLM reference, List<DpoPair> pairs, double beta) {
    Path dir = cfg.output().resolve("dpo-" + beta);
    org.rlhf4j.demo.pipeline.StageDir.prepare(dir, cfg.dpoKey(beta), log);
    CausalLM policy = reference.copy(DType.F32);
    TrainConfig t = TrainConfig.defaults(dir).toBuilder().lr(cfg.dpo().lr()).schedule(Schedule.LINEAR).minLrRatio(0.1)
        .maxSteps(cfg.dpo().steps()).seed(cfg.seed()).logEvery(Math.max(1, cfg.dpo().steps() / 5))
        .saveEvery(Math.max(1, cfg.dpo().steps() / 3)).keepCheckpoints(1).resume(true).build();
    DpoConfig dc = DpoConfig.defaults(dir).withVariant(new DpoLoss.Sigmoid(beta)).withBatchSize(16)
        .withPrecomputeReference(true).withMaxLength(128).withTrain(t);
    DpoTrainer.run(policy.requiresGrad(true), reference, pairs, dc);
    return policy.requiresGrad(false);
  }

  private interface Eval {
    Judge.Point get();
  }

  /** A frontier point, loaded from points/ when it was measured under these settings. */
  private Judge.Point point(String method, String setting, Eval eval) {
    String name = method + (setting.isEmpty() ? "" : "-" + setting.replace('=', '-'));
    Path file = cfg.output().resolve("points").resolve(name + ".json");
    String key = cfg.pointKey(method, setting);
    try {
      if (Files.isRegularFile(file)) {
        Map<?, ?> saved = JSON.readValue(file.toFile(), Map.class);
        if (key.equals(saved.get("key"))) return JSON.convertValue(saved.get("point"), Judge.Point.class);
      }
      Judge.Point p = eval.get();
      FileOps.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("key", key, "point", p)));
      log.info("    %-10s %-9s KL %6.3f  gold P(positive) %.3f  proxy logit %+.3f", method, setting, p.kl(), p.gold(), p.proxy());
      return p;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<long[]> ids(Tokenizer tok, List<String> texts, int repeat) {
    List<long[]> out = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      for (String t : texts) out.add(java.util.Arrays.stream(tok.encode(t, true)).asLongStream().toArray());
    }
    return out;
  }

  private void stage(String what) { log.info("[%5.1fs, %5.1f CPU-s] %s", seconds(), cpuSeconds(), what); }

  private double seconds() { return (System.nanoTime() - started) / 1e9; }

  /** CPU time of this process since the run began (every thread): comparable across a loaded and an idle machine. */
  private double cpuSeconds() { return (cpuNanos() - startedCpu) / 1e9; }

  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }

  static String fmt(double v) { return String.format(Locale.ROOT, "%.3f", v); }
}
