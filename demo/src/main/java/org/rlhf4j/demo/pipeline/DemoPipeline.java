package org.rlhf4j.demo.pipeline;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.demo.raters.RaterPool;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.Style;
import org.rlhf4j.demo.world.TokenizerFiles;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.evaluation.doctor.DoctorConfig;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.MetricsLog;
import org.rlhf4j.evaluation.doctor.RunWatch;
import org.rlhf4j.training.loop.TrainConfig;

/**
 * The built-in demo: pre-train → SFT → sample pairs → simulated raters → reward model →
 * best-of-n (and the preference optimisers) → evaluation against the gold reward → report.
 */
public final class DemoPipeline {
  private final DemoConfig cfg;
  private final PrintStream log;
  private final long started = System.nanoTime();

  public DemoPipeline(DemoConfig cfg, PrintStream log) {
    this.cfg = cfg;
    this.log = log;
  }

  // Set up by run(): shared by every stage. The seeded stream rnd is drawn from in stage order.
  private SplittableRandom rnd;
  private World world;
  private Tokenizer tok;
  private Chat chat;
  private long pad;
  private int eos;

  /** The reward model and what the report says of it. */
  private record Rewards(RewardStage model, ResponseScorer proxy, List<RewardStage.TokenPair> pairs, double heldOutAccuracy,
      int trainPairs, int heldOutPairs) {}

  /** Runs every stage; returns the path of summary.json. */
  public Path run() throws Exception {
    // The demo's models are tiny: one libtorch thread beats two (no fork/join around each small op), while
    // OpenBLAS on every core still speeds up the matmuls (pre-training 0.08 s/step against 0.12 with one thread).
    org.rlhf4j.runtime.Runtime.threads(1, java.lang.Runtime.getRuntime().availableProcessors());
    rnd = new SplittableRandom(cfg.seed());
    world = new World(cfg.seed());
    Path modelDir = cfg.output().resolve("base");
    TokenizerFiles.write(modelDir, world.vocabulary());
    tok = Tokenizer.load(modelDir);
    chat = new Chat(tok);
    pad = tok.padId();
    eos = tok.eosId().orElseThrow();

    CausalLM base = pretrain(modelDir);
    CausalLM sft = supervisedFineTuning(base);
    Preferences.Collected prefs = collectPreferences(sft);
    Rewards rm = rewardModel(prefs, sft);

    stage("5/6 optimising against the reward model: PPO, DPO and best-of-" + cfg.bestOfN());
    sft.requiresGrad(false);
    CausalLM ppoPolicy = PolicyStages.fresh(sft);
    Path ppoDir = stageDir("ppo");
    // The run doctor watches PPO as it trains; its flags go into the report at the end.
    List<Flag> ppoFlags;
    try (RunWatch watch = RunWatch.start(ppoDir.resolve("metrics.jsonl"), doctorConfig(),
        f -> log.printf("    doctor: %s from step %d (seen while training)%n", f.kind(), f.step()))) {
      PolicyStages.ppo(ppoPolicy, sft, rm.model(), tok, chat, world.prompts(Math.max(200, cfg.ppoIterations() * cfg.ppoBatch()), rnd),
          world.gold(), cfg, ppoDir);
      ppoFlags = watch.finish(); // the whole metrics.jsonl, so a resumed stage's earlier iterations count too
    }
    CausalLM dpoPolicy = PolicyStages.fresh(sft);
    int[] promptLengths = prefs.pairs().stream().mapToInt(p -> chat.promptIds(((org.rlhf4j.data.Chat) p.prompt()).messages().get(0).content()).length).toArray();
    var dpo = PolicyStages.dpo(dpoPolicy, sft, rm.pairs(), promptLengths, cfg, stageDir("dpo"));
    if (dpo.lastMetrics().containsKey("rewards/margins")) { // absent when the finished stage was loaded
      log.printf("    DPO: last reward accuracy %.2f, margin %.2f%n", dpo.lastMetrics().getOrDefault("rewards/accuracies", Double.NaN),
          dpo.lastMetrics().get("rewards/margins"));
    }
    return evaluateAndReport(sft, ppoPolicy, dpoPolicy, ppoFlags, prefs, rm);
  }

  private CausalLM pretrain(Path modelDir) {
    stage("1/6 pre-training a " + describe() + " on " + cfg.corpusDocs() + " documents of the assistant world");
    ModelConfig mc = ModelConfig.llama(world.vocabulary().size(), cfg.hidden(), cfg.intermediate(), cfg.layers(), cfg.heads(),
        cfg.kvHeads(), 64).withVocab(world.vocabulary().size(), tok.bosId().orElseThrow(), eos);
    CausalLM base = CausalLM.random(mc, cfg.seed(), Device.CPU);
    List<TokenRow> docs = new ArrayList<>();
    for (String d : world.corpus(cfg.corpusDocs(), rnd)) docs.add(allTargets(tok.encode(d, true), eos));
    LmStage.train(base, docs, 32, pad, train(stageDir("pretrain"), cfg.pretrainSteps(), 3e-3));
    base.save(modelDir);
    return base;
  }

  private CausalLM supervisedFineTuning(CausalLM base) {
    stage("2/6 supervised fine-tuning on demonstrations of the ideal assistant");
    CausalLM sft = base.copy(DType.F32);
    List<TokenRow> demos = new ArrayList<>();
    for (Prompt p : world.prompts(Math.max(400, cfg.sftSteps() * 8), rnd)) {
      demos.add(completion(chat.promptIds(p.text()), tok.encode(demonstration(world, p, rnd), false), eos));
    }
    LmStage.train(sft, demos, 32, pad, train(stageDir("sft"), cfg.sftSteps(), 1e-3));
    Path dir = cfg.output().resolve("sft-model");
    sft.save(dir);
    TokenizerFiles.write(dir, world.vocabulary());
    return sft;
  }

  private Preferences.Collected collectPreferences(CausalLM sft) {
    stage("3/6 sampling response pairs and collecting labels from " + cfg.raters() + " simulated raters");
    List<Prompt> cmpPrompts = world.prompts(cfg.comparisonItems(), rnd);
    PolicyEvaluator sampler = new PolicyEvaluator(chat, world.gold(), (p, r) -> new double[r.size()], sft, cfg.maxNewTokens(), cfg.seed());
    List<String> texts = cmpPrompts.stream().map(Prompt::text).toList();
    List<String> a = sampler.respond(sft, texts, SamplingConfig.sample(cfg.maxNewTokens(), 1.0, 0, 1.0, cfg.seed() + 1, tok.stopIds()));
    List<String> b = sampler.respond(sft, texts, SamplingConfig.sample(cfg.maxNewTokens(), 1.0, 0, 1.0, cfg.seed() + 2, tok.stopIds()));
    RaterPool pool = cfg.hackable() ? RaterPool.lengthBiased(cfg.raters(), cfg.seed()) : RaterPool.standard(cfg.raters(), cfg.seed());
    Preferences.Collected prefs = Preferences.collect(cmpPrompts, a, b, world.gold(), world, pool, cfg.ratingsPerItem(), rnd);
    log.printf("    %d comparisons, %d labels, %d/%d raters kept, %d training pairs; labels agree with gold on %.0f%%; Fleiss' kappa %.3f%n",
        prefs.items().size(), prefs.labels().size(), prefs.reliableRaters().size(), cfg.raters(), prefs.pairs().size(),
        100 * prefs.labelGoldAgreement(), prefs.agreement().get("fleiss_kappa"));
    return prefs;
  }

  private Rewards rewardModel(Preferences.Collected prefs, CausalLM sft) {
    stage("4/6 training the reward model (Bradley-Terry, soft labels from votes)");
    List<RewardStage.TokenPair> tp = tokenPairs(prefs, chat, tok, eos);
    int held = Math.max(1, tp.size() / 5);
    List<RewardStage.TokenPair> rmTrain = tp.subList(held, tp.size()), rmTest = tp.subList(0, held);
    RewardStage rm = new RewardStage(sft.copy(DType.F32), ScalarHead.random(ScalarHead.Kind.SCORE, cfg.hidden(), cfg.seed(), Device.CPU));
    rm.train(rmTrain, 16, pad, train(stageDir("reward"), cfg.rewardSteps(), 5e-4));
    double rmAcc = rm.accuracy(rmTest, pad);
    log.printf("    held-out pairwise accuracy %.3f on %d pairs%n", rmAcc, rmTest.size());
    ResponseScorer proxy = (ps, rs) -> {
      List<long[]> rows = new ArrayList<>();
      for (int i = 0; i < ps.size(); i++) rows.add(concat(chat.promptIds(ps.get(i)), tok.encode(rs.get(i), false), eos));
      return rm.score(rows, pad);
    };
    return new Rewards(rm, proxy, tp, rmAcc, rmTrain.size(), rmTest.size());
  }

  private Path evaluateAndReport(CausalLM sft, CausalLM ppoPolicy, CausalLM dpoPolicy, List<Flag> flags, Preferences.Collected prefs,
      Rewards rm)
      throws java.io.IOException {
    stage("6/6 evaluating against the gold reward, running the doctor, writing the report");
    Path out = cfg.output();
    List<Prompt> evalPrompts = world.prompts(cfg.evalPrompts(), new SplittableRandom(cfg.seed() ^ 0x5eed));
    PolicyEvaluator eval = new PolicyEvaluator(chat, world.gold(), rm.proxy(), sft, cfg.maxNewTokens(), cfg.seed());
    PolicyReport sftReport = eval.evaluate("sft", sft, evalPrompts);
    PolicyReport ppoReport = eval.evaluate("ppo", ppoPolicy, evalPrompts);
    PolicyReport dpoReport = eval.evaluate("dpo", dpoPolicy, evalPrompts);
    PolicyReport bon = BestOfN.run(eval, sft, evalPrompts, cfg.bestOfN(), rm.proxy(), cfg.maxNewTokens(), cfg.seed(), tok.stopIds());
    for (Flag f : flags) log.printf("    doctor: %s at step %d: %s%n", f.kind(), f.step(), f.explanation());
    DemoReport report = new DemoReport();
    report.baseline(sftReport);
    report.policy("ppo", ppoReport, sftReport);
    report.policy("dpo", dpoReport, sftReport);
    report.policy("best_of_n", bon, sftReport);
    Map<String, Object> rmSummary = new LinkedHashMap<>();
    rmSummary.put("heldout_accuracy", rm.heldOutAccuracy());
    rmSummary.put("heldout_pairs", rm.heldOutPairs());
    rmSummary.put("train_pairs", rm.trainPairs());
    report.put("reward_model", rmSummary);
    Map<String, Object> agreement = new LinkedHashMap<>(prefs.agreement());
    agreement.put("label_gold_agreement", prefs.labelGoldAgreement());
    agreement.put("raters_kept", prefs.reliableRaters().size());
    agreement.put("gold_accuracy", prefs.goldAccuracy());
    report.put("rater_agreement", agreement);
    report.doctor(flags);
    report.config(cfg, seconds());
    // From the file, not memory: a resumed PPO stage has run only its remaining iterations.
    MetricsLog ppoLog = MetricsLog.read(out.resolve("ppo").resolve("metrics.jsonl"));
    Path summary = report.write(out, prefs.agreement(), ppoLog.column("objective/kl"), ppoLog.column("eval/proxy_reward"),
        ppoLog.column("eval/gold_reward"), ppoLog.steps(), ppoLog.column("response_length_mean"), flags,
        prefs.goldAccuracyIntervals(), prefs.reliableRaters());
    log.printf("    gold win rate vs SFT: PPO %.2f (KL %.2f), DPO %.2f, best-of-%d %.2f; doctor flags: %d%n",
        report.goldWinRate("ppo"), ppoReport.kl(), report.goldWinRate("dpo"), cfg.bestOfN(),
        report.goldWinRate("best_of_n"), flags.size());
    log.printf("done in %.0f s: %s and %s%n", seconds(), out.resolve("report.html"), summary);
    return summary;
  }

  /** The doctor's defaults with a trend window of a sixth of the PPO run. */
  private DoctorConfig doctorConfig() {
    return DoctorConfig.defaults().withWindow(Math.max(3, cfg.ppoIterations() / 6));
  }

  private TrainConfig train(Path dir, int steps, double lr) {
    return TrainConfig.defaults(dir).toBuilder().lr(lr).maxSteps(steps).warmupSteps(Math.min(20, steps / 10))
        .weightDecay(0.01).seed(cfg.seed()).logEvery(Math.max(1, steps / 10)).saveEvery(Math.max(1, steps / 4)).keepCheckpoints(1)
        .resume(true).build();
  }

  /** The stage's folder, cleared when it holds work done under other settings (see {@link StageDir}). */
  private Path stageDir(String stage) {
    Path dir = cfg.output().resolve(stage);
    StageDir.prepare(dir, cfg.stageKey(stage), log);
    return dir;
  }

  private String describe() {
    return String.format("%d-layer Llama-style model (hidden %d)", cfg.layers(), cfg.hidden());
  }

  private void stage(String what) { log.printf("[%5.1fs] %s%n", seconds(), what); }

  private double seconds() { return (System.nanoTime() - started) / 1e9; }

  /**
   * What a demonstrator writes: like real SFT data, only some answers are ideal; the rest are
   * correct but padded, flattering, or restate the question, and a few are wrong. RLHF has to
   * learn from preferences what the demonstrations did not teach.
   */
  static String demonstration(World world, Prompt p, SplittableRandom rnd) {
    double u = rnd.nextDouble();
    Style style = u < 0.4 ? null : u < 0.6 ? Style.CORRECT_VERBOSE : u < 0.8 ? Style.FLATTERY : u < 0.9 ? Style.REPEATS_QUESTION : Style.WRONG;
    return style == null ? world.goodResponse(p, rnd).text() : world.respond(p, style, rnd).text();
  }

  static TokenRow allTargets(int[] ids, int eos) {
    long[] x = new long[ids.length + 1], m = new long[ids.length + 1];
    for (int i = 0; i < ids.length; i++) x[i] = ids[i];
    x[ids.length] = eos;
    java.util.Arrays.fill(m, 1);
    return new TokenRow(x, m);
  }

  static TokenRow completion(long[] prompt, int[] response, int eos) {
    long[] ids = concat(prompt, response, eos), m = new long[ids.length];
    java.util.Arrays.fill(m, prompt.length, ids.length, 1);
    return new TokenRow(ids, m);
  }

  static long[] concat(long[] prompt, int[] response, int eos) {
    long[] ids = new long[prompt.length + response.length + 1];
    System.arraycopy(prompt, 0, ids, 0, prompt.length);
    for (int i = 0; i < response.length; i++) ids[prompt.length + i] = response[i];
    ids[ids.length - 1] = eos;
    return ids;
  }

  private static List<RewardStage.TokenPair> tokenPairs(Preferences.Collected prefs, Chat chat, Tokenizer tok, int eos) {
    List<RewardStage.TokenPair> out = new ArrayList<>();
    for (var p : prefs.pairs()) {
      long[] prompt = chat.promptIds(((org.rlhf4j.data.Chat) p.prompt()).messages().get(0).content());
      String c = ((org.rlhf4j.data.Chat) p.chosen()).messages().get(0).content();
      String r = ((org.rlhf4j.data.Chat) p.rejected()).messages().get(0).content();
      out.add(new RewardStage.TokenPair(concat(prompt, tok.encode(c, false), eos), concat(prompt, tok.encode(r, false), eos), p.chosenProbability()));
    }
    return out;
  }
}
