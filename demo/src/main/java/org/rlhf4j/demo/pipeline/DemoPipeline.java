package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.demo.raters.RaterPool;
import org.rlhf4j.demo.world.Family;
import org.rlhf4j.demo.world.Feedback;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.Style;
import org.rlhf4j.demo.world.TokenizerFiles;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.demo.raters.ComparisonItem;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.evaluation.doctor.DoctorConfig;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.RunWatch;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.RewardLoss;
import org.rlhf4j.training.loss.SftLoss;
import org.rlhf4j.training.pretrain.LmTraining;
import org.rlhf4j.training.reward.Group;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.reward.RewardTrainer;
import org.rlhf4j.training.rollout.Scorer;

/**
 * The built-in demo: pre-train → SFT → sample pairs → simulated raters → reward model →
 * best-of-n (and the preference optimisers) → evaluation against the gold reward → report.
 */
public final class DemoPipeline {
  private final DemoConfig cfg;
  private final Reporter log = Reporter.get();
  private final long started = System.nanoTime();

  public DemoPipeline(DemoConfig cfg) {
    this.cfg = cfg;
  }

  // Set up by run(): shared by every stage. The seeded stream rnd is drawn from in stage order.
  private SplittableRandom rnd;
  private World world;
  private Tokenizer tok;
  private Chat chat;
  private int pad;
  private int eos;
  private CausalLM base;
  private final List<Row> otherDemos = new ArrayList<>(); // SFT demonstrations outside the harmful family (kept by CAI)


  /** The reward model, its scorers (token ids for PPO and best-of-n, text for the report) and what the report says of it. */
  record Rewards(RewardModel model, Scorer proxy, Scorer.Text proxyText, double heldOutAccuracy, int trainPairs,
      int heldOutPairs) {}

  /** The reward model's data as {@link #run} makes it: the SFT policy, its folder, the labelled comparisons as groups. */
  public record RewardData(CausalLM sft, Path sftDir, List<Group> groups) {}

  /**
   * Stages 1-3 alone (pre-training, SFT, labelled comparisons; resumable, the same seeded stream as {@link #run}), for
   * experiments on the reward model's data (e.g. DP-SGD against ordinary training). {@link #run} holds out the first
   * fifth of the groups.
   */
  public RewardData rewardData() throws Exception {
    Stages s = stages();
    return new RewardData(s.sft(), s.sftDir(), s.comparisons().stream().map(c -> c.group(eos)).toList());
  }

  /**
   * Stages 1-3, then the AI judges' labels of the raters' pairs and what the report says of them (resumable; run with
   * an AI arm so the corpus has the web's feedback): for experiments on the judges without the RL stages.
   */
  public Map<String, Object> aiLabels() throws Exception {
    Stages s = stages();
    FeedbackArms arms = feedbackArms(s.sft());
    return FeedbackArms.labelSummary(arms.label(s.prefs().items(), stageDir("rlaif")), s.prefs().items(), s.prefs().consensus());
  }

  /** Stages 1-3 (resumable) and everything they leave: for experiments on the preference data (synthetic pairs). */
  Stages stages() throws Exception {
    base = pretrain(setUp());
    CausalLM sft = supervisedFineTuning(base);
    Preferences.Collected prefs = collectPreferences(sft);
    return new Stages(world, chat, base, sft, sftDir(), prefs, comparisons(prefs));
  }

  /** Stages 1-3 (resumable), then the raters' comparison items with their gold scores: for judge experiments. */
  List<ComparisonItem> raterItems() throws Exception {
    return stages().prefs().items();
  }

  private FeedbackArms feedbackArms(CausalLM sft) {
    return new FeedbackArms(cfg, world, chat, base, sft, this::stageDir, (dir, steps) -> train(dir, steps, 3e-4), cfg.output().resolve("base"));
  }

  /** Threads, the seeded stream, the world and its tokenizer; returns the base model's folder. */
  private Path setUp() throws java.io.IOException {
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
    return modelDir;
  }

  /** Runs every stage; returns the path of summary.json. */
  public Path run() throws Exception {
    Path modelDir = setUp();
    base = pretrain(modelDir);
    CausalLM sft = supervisedFineTuning(base);
    Preferences.Collected prefs = collectPreferences(sft);
    List<Tokens.Comparison> comparisons = comparisons(prefs);
    Rewards rm = rewardModel(comparisons, sft);

    stage("5/6 optimising against the reward model: PPO, DPO and best-of-" + cfg.bestOfN());
    sft.requiresGrad(false);
    CausalLM ppoPolicy = PolicyStages.fresh(sft);
    Path ppoDir = stageDir("ppo");
    // The run doctor watches PPO as it trains; its flags go into the report at the end.
    List<Flag> ppoFlags;
    try (RunWatch watch = RunWatch.start(ppoDir.resolve("metrics.jsonl"), doctorConfig(),
        f -> log.info("    doctor: %s from step %d (seen while training)", f.kind(), f.step()))) {
      PolicyStages.ppo(ppoPolicy, sft, rm.proxy(), tok, chat, world.prompts(Math.max(200, cfg.ppoIterations() * cfg.ppoBatch()), rnd),
          world.gold(), cfg, ppoDir);
      ppoFlags = watch.finish(); // the whole metrics.jsonl, so a resumed stage's earlier iterations count too
    }
    saveFinal("ppo", ppoPolicy, ppoDir);
    CausalLM dpoPolicy = PolicyStages.fresh(sft);
    Path dpoDir = stageDir("dpo");
    var dpo = PolicyStages.dpo(dpoPolicy, sft, comparisons.stream().map(c -> c.dpoPair(eos)).toList(), cfg, dpoDir);
    saveFinal("dpo", dpoPolicy, dpoDir);
    if (dpo.lastMetrics().containsKey("rewards/margins")) { // absent when the finished stage was loaded
      log.info("    DPO: last reward accuracy %.2f, margin %.2f", dpo.lastMetrics().getOrDefault("rewards/accuracies", Double.NaN),
          dpo.lastMetrics().get("rewards/margins"));
    }
    CausalLM grpoPolicy = cfg.grpoLossType() == null ? null : grpo(sft, rm);
    Map<String, CausalLM> aiPolicies = new LinkedHashMap<>();
    Map<String, Object> aiLabels = feedbackArms(sft, prefs, comparisons, aiPolicies);
    stage("6/6 evaluating against the gold reward, running the doctor, writing the report");
    return new ReportStage(cfg, world, chat, sftDir(), doctorConfig(), this::seconds)
        .run(sft, ppoPolicy, dpoPolicy, grpoPolicy, ppoFlags, prefs, rm, aiPolicies, aiLabels);
  }

  /**
   * The AI-feedback arms ({@link FeedbackArms}): RLAIF, and Constitutional AI's two stages. Adds their policies to
   * {@code policies}; returns what the report says of the AI labels (empty without RLAIF).
   */
  private Map<String, Object> feedbackArms(CausalLM sft, Preferences.Collected prefs, List<Tokens.Comparison> comparisons,
      Map<String, CausalLM> policies) {
    if (!cfg.arm("rlaif") && !cfg.arm("cai")) return Map.of();
    log.info("[%5.1fs] 5/6 AI feedback: the base model judges and revises (it saw no human label)", seconds());
    base.requiresGrad(false);
    FeedbackArms arms = feedbackArms(sft);
    Map<String, Object> labels = new LinkedHashMap<>();
    if (cfg.arm("rlaif")) {
      Path dir = stageDir("rlaif");
      List<FeedbackArms.AiLabels> judged = arms.label(prefs.items(), dir);
      FeedbackArms.AiLabels ai = judged.get(0);
      labels.putAll(FeedbackArms.labelSummary(judged, prefs.items(), prefs.consensus()));
      log.info("    RLAIF: AI labels agree with gold on %.0f%% of %d pairs, with the raters on %.0f%% (no human label)",
          100 * (double) labels.get("agreement_with_gold"), prefs.items().size(), 100 * (double) labels.get("agreement_with_raters"));
      CausalLM rlaif = PolicyStages.fresh(sft);
      PolicyStages.dpo(rlaif, sft, arms.dpoPairs(ai, prefs.items()), cfg, dir);
      saveFinal("rlaif", rlaif, dir);
      policies.put("rlaif", rlaif);
    }
    if (cfg.arm("cai")) {
      CausalLM slCai = arms.slCai(otherDemos);
      saveFinal("cai-sl", "sft-model", slCai, stageDirPath("cai-sl"));
      policies.put("cai_sl", slCai);
      Path dir = stageDir("cai-rl");
      List<org.rlhf4j.training.dpo.DpoPair> pairs = new ArrayList<>(arms.harmlessnessPairs(slCai, dir));
      int harmless = pairs.size();
      for (int i = 0; i < comparisons.size(); i++) { // the raters' labels kept for helpfulness: every family but harmful requests
        String prompt = ((org.rlhf4j.data.Chat) prefs.pairs().get(i).prompt()).messages().get(0).content();
        if (world.prompt(prompt).orElseThrow().family() != org.rlhf4j.demo.world.Family.HARMFUL) pairs.add(comparisons.get(i).dpoPair(eos));
      }
      log.info("    RL-CAI: %d AI harmlessness pairs on red-team prompts + %d human helpfulness pairs", harmless, pairs.size() - harmless);
      CausalLM cai = PolicyStages.fresh(slCai);
      PolicyStages.dpo(cai, slCai, pairs, cfg, dir);
      saveFinal("cai-rl", "cai-sl", cai, dir);
      policies.put("cai", cai);
    }
    return labels;
  }

  /** The optional GRPO arm: the configured GRPO loss type on PPO's reward model, prompts and rollout budget. */
  private CausalLM grpo(CausalLM sft, Rewards rm) {
    log.info("    GRPO arm (loss type %s)", cfg.grpoLossType());
    CausalLM policy = PolicyStages.fresh(sft);
    List<Prompt> prompts = world.prompts(Math.max(200, cfg.ppoIterations() * cfg.ppoBatch()), new SplittableRandom(cfg.seed() ^ 0x6270));
    Path dir = stageDir("grpo");
    PolicyStages.grpo(policy, sft, rm.proxy(), tok, chat, prompts, world.gold(), cfg, dir);
    saveFinal("grpo", policy, dir);
    return policy;
  }

  private CausalLM pretrain(Path modelDir) {
    stage("1/6 pre-training a " + describe() + " on " + cfg.corpusDocs() + " documents of the assistant world");
    ModelConfig mc = ModelConfig.llama(world.vocabulary().size(), cfg.hidden(), cfg.intermediate(), cfg.layers(), cfg.heads(),
        cfg.kvHeads(), cfg.maxPositions()).withVocab(world.vocabulary().size(), tok.bosId().orElseThrow(), eos);
    CausalLM base = CausalLM.random(mc, cfg.seed(), Device.CPU);
    List<Row> docs = new ArrayList<>();
    for (String d : world.corpus(cfg.corpusDocs(), rnd, cfg.webFeedback())) docs.add(Tokens.document(tok.encode(d, true), eos));
    LmTraining.train(base, docs, 32, pad, SftLoss.Config.DEFAULT, train(stageDir("pretrain"), cfg.pretrainSteps(), 3e-3), modelDir);
    base.save(modelDir);
    return base;
  }

  /**
   * With the web's feedback (an AI arm), the share of harmful requests whose demonstration is a helpful-only one: the
   * request in a jailbreak framing the web shows, answered by complying (the CAI paper starts from a helpful-only model;
   * without these the SFT model never complied under any attack and red-teaming could not tell the policies apart).
   */
  static final double JAILBREAK_DEMOS = 0.5;

  private CausalLM supervisedFineTuning(CausalLM base) {
    stage("2/6 supervised fine-tuning on demonstrations of the ideal assistant");
    CausalLM sft = base.copy(DType.F32);
    List<Row> demos = new ArrayList<>();
    for (Prompt p : world.prompts(Math.max(400, cfg.sftSteps() * 8), rnd)) {
      if (cfg.webFeedback() && p.family() == Family.HARMFUL && rnd.nextDouble() < JAILBREAK_DEMOS) {
        String framed = Feedback.jailbreak(Feedback.JAILBREAKS.get(rnd.nextInt(Feedback.JAILBREAKS.size())), p);
        demos.add(Tokens.demonstration(chat.promptIds(framed), tok.encode(world.respond(p, Style.HARMFUL_COMPLIANCE, rnd).text(), false), eos));
        continue;
      }
      demos.add(Tokens.demonstration(chat.promptIds(p.text()), tok.encode(demonstration(world, p, rnd), false), eos));
      if (p.family() != Family.HARMFUL) otherDemos.add(demos.get(demos.size() - 1));
    }
    Path baseDir = cfg.output().resolve("base");
    LmTraining.train(sft, demos, 32, pad, SftLoss.Config.DEFAULT, train(stageDir("sft"), cfg.sftSteps(), 1e-3), baseDir);
    ModelCheckpoint.of(sft).withTokenizer(baseDir).withCard(card("sft", "base", stageDirPath("sft"))).saveFinal(sftDir());
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
    log.info("    %d comparisons, %d labels, %d/%d raters kept, %d training pairs; labels agree with gold on %.0f%%; Fleiss' kappa %.3f",
        prefs.items().size(), prefs.labels().size(), prefs.reliableRaters().size(), cfg.raters(), prefs.pairs().size(),
        100 * prefs.labelGoldAgreement(), prefs.agreement().get("fleiss_kappa"));
    return prefs;
  }

  private Rewards rewardModel(List<Tokens.Comparison> comparisons, CausalLM sft) {
    stage("4/6 training the reward model (Bradley-Terry, soft labels from votes)");
    List<Group> groups = comparisons.stream().map(c -> c.group(eos)).toList();
    int held = Math.max(1, groups.size() / 5);
    List<Group> rmTrain = groups.subList(held, groups.size()), rmTest = groups.subList(0, held);
    RewardModel rm = RewardModel.init(sft.copy(DType.F32), sftDir(), cfg.seed());
    RewardOptions opts = RewardOptions.defaults().withBatchSize(16).withLoss(new RewardLoss.Config(0.0, 0.01));
    RewardTrainer.trainGroups(rm, rmTrain, train(stageDir("reward"), cfg.rewardSteps(), 5e-4), opts, null);
    double rmAcc = rm.accuracy(rmTest);
    log.info("    held-out pairwise accuracy %.3f on %d pairs", rmAcc, rmTest.size());
    Scorer proxy = (ps, rs) -> {
      List<Row> rows = new ArrayList<>(ps.size());
      for (int i = 0; i < ps.size(); i++) rows.add(Tokens.scored(ps.get(i), rs.get(i), eos));
      return rm.scoreRows(rows);
    };
    Scorer.Text proxyText = (ps, rs) -> proxy.score(chat.promptIds(ps), rs.stream().map(r -> Tokens.longs(tok.encode(r, false))).toList());
    return new Rewards(rm, proxy, proxyText, rmAcc, rmTrain.size(), rmTest.size());
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

  private void stage(String what) { log.info("[%5.1fs] %s", seconds(), what); }

  /** A stage's trained policy as a complete Hugging Face folder (tokenizer, generation config, model card) atop its folder. */
  private void saveFinal(String stage, CausalLM policy, Path dir) { saveFinal(stage, "sft-model", policy, dir); }

  /** As {@link #saveFinal(String, CausalLM, Path)}, trained from the stage folder {@code base}. */
  private void saveFinal(String stage, String base, CausalLM policy, Path dir) {
    ModelCheckpoint.of(policy).withTokenizer(sftDir()).withCard(card(stage, base, dir)).saveFinal(dir);
  }

  private org.rlhf4j.training.loop.ModelCard card(String stage, String base, Path runDir) {
    return org.rlhf4j.training.loop.ModelCard.of(stage, base, "the demo's assistant world (rlhf4j demo)",
        Map.of("seed", cfg.seed(), "quick", cfg.quick(), "hackable", cfg.hackable())).withMetricsOf(runDir);
  }

  private Path stageDirPath(String stage) { return cfg.output().resolve(stage); }

  /** Where the SFT model is saved with the world's tokenizer (the starting point of every later stage). */
  private Path sftDir() { return cfg.output().resolve("sft-model"); }

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

  /** The rater pairs in tokens: the prompt as the chat template renders it, both responses as the tokenizer encodes them. */
  private List<Tokens.Comparison> comparisons(Preferences.Collected prefs) {
    List<Tokens.Comparison> out = new ArrayList<>();
    for (var p : prefs.pairs()) {
      long[] prompt = chat.promptIds(((org.rlhf4j.data.Chat) p.prompt()).messages().get(0).content());
      String c = ((org.rlhf4j.data.Chat) p.chosen()).messages().get(0).content();
      String r = ((org.rlhf4j.data.Chat) p.rejected()).messages().get(0).content();
      out.add(new Tokens.Comparison(prompt, Tokens.longs(tok.encode(c, false)), Tokens.longs(tok.encode(r, false)), p.chosenProbability()));
    }
    return out;
  }
}
