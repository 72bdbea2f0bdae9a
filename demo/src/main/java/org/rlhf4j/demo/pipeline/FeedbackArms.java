package org.rlhf4j.demo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.rlhf4j.aifeedback.AppendLog;
import org.rlhf4j.aifeedback.cai.Constitution;
import org.rlhf4j.aifeedback.cai.CritiqueReviser;
import org.rlhf4j.aifeedback.cai.Principle;
import org.rlhf4j.aifeedback.cai.RlCai;
import org.rlhf4j.aifeedback.cai.SlCai;
import org.rlhf4j.aifeedback.judge.Averaging;
import org.rlhf4j.aifeedback.judge.EnsembleJudge;
import org.rlhf4j.aifeedback.judge.GradeTemplate;
import org.rlhf4j.aifeedback.judge.LmGrader;
import org.rlhf4j.aifeedback.judge.JudgeTemplate;
import org.rlhf4j.aifeedback.judge.LmJudge;
import org.rlhf4j.aifeedback.judge.PositionBias;
import org.rlhf4j.aifeedback.label.JudgeAgreement;
import org.rlhf4j.aifeedback.label.LabelItem;
import org.rlhf4j.aifeedback.label.Labeller;
import org.rlhf4j.aifeedback.label.PairSource;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.data.label.Choice;
import org.rlhf4j.demo.raters.ComparisonItem;
import org.rlhf4j.demo.world.Family;
import org.rlhf4j.demo.world.Feedback;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.SftLoss;
import org.rlhf4j.training.pretrain.LmTraining;

/**
 * The demo's AI-feedback arms. The judge is the pre-trained base model (it learned to judge and to revise from the
 * web's {@link Feedback} documents, never from a rater's label), read through the ai-feedback library's
 * {@link LmJudge} in both orders.
 *
 * <ul>
 *   <li><b>RLAIF</b>: the grader and the pairwise judge label the very pairs the raters labelled; DPO from SFT towards
 *   the mean of their probabilities, a soft label (no human label).
 *   <li><b>CAI</b>: SL-CAI (SFT samples on red-team prompts, critiqued and revised by the base model under the
 *   constitution, fine-tuned on, with the SFT demonstrations of the other families kept), then RL-CAI: pairs sampled
 *   from the SL-CAI model on red-team prompts labelled by {@link #harmlessnessJudge()} (the pairwise judge under a
 *   randomly drawn principle, averaged with the grader), plus the raters' labels on the non-harmful families
 *   (helpfulness), DPO from the SL-CAI model.
 * </ul>
 */
final class FeedbackArms {
  /** The AI labels of the raters' pairs by one judge: its name, P(A) by item id, and the judge's two orders. */
  record AiLabels(String judge, Map<String, Double> probabilityA, double[] firstOrder, double[] secondOrder) {}

  private final DemoConfig cfg;
  private final World world;
  private final Chat chat;
  private final int eos;
  private final CausalLM base;
  private final CausalLM sft;
  private final Function<String, Path> stageDir;
  private final BiFunction<Path, Integer, TrainConfig> train;
  private final Path tokenizerDir;

  FeedbackArms(DemoConfig cfg, World world, Chat chat, CausalLM base, CausalLM sft, Function<String, Path> stageDir,
      BiFunction<Path, Integer, TrainConfig> train, Path tokenizerDir) {
    this.cfg = cfg;
    this.world = world;
    this.chat = chat;
    this.eos = chat.tokenizer().eosId().orElseThrow();
    this.base = base;
    this.sft = sft;
    this.stageDir = stageDir;
    this.train = train;
    this.tokenizerDir = tokenizerDir;
  }

  /** The base model as a pairwise judge: the web's judging request through the chat template, options "1"/"2". */
  LmJudge judge() {
    JudgeTemplate t = new JudgeTemplate(Feedback.JUDGE_TEMPLATE, Feedback.OPTIONS, Feedback.ANSWER_PREFIX, null, true, "demo-world judge");
    return new LmJudge(base, chat.tokenizer(), t, LmJudge.Options.defaults().withBatchSize(64), "base model");
  }

  /**
   * The base model as a pointwise judge: the web's grading request, grades 1-9 read from the logits, each answer
   * graded alone (no position bias). Half of the RLAIF arm's labels. Measured on the default world, seed 1: it agrees with
   * gold on 0.82 of the raters' pairs (kappa 0.64) against the pairwise {@link #judge()}'s 0.70, without the pairwise
   * judge's position flips (0.00 vs 0.59); the report's ai_labels carries both.
   */
  LmGrader grader() {
    GradeTemplate t = new GradeTemplate(Feedback.GRADE_TEMPLATE, Feedback.GRADES, Feedback.GRADE_PREFIX, null, true, "demo-world grader");
    return new LmGrader(base, chat.tokenizer(), t, LmGrader.Options.defaults().withBatchSize(64), "base model (grades)");
  }

  /**
   * RL-CAI's feedback model: the mean of the pairwise judge, asked under the drawn principle, and the grader (which
   * grades each answer whole and ignores the principle). Measured on the raters' pairs of harmful prompts, seeds 1-5
   * (GraderProbe): the pairwise judge agrees with gold on 0.60-0.83, the grader on 0.94-0.97, the mean on 0.92-0.97.
   * With the pairwise judge alone, seed 5's RL-CAI pairs (mostly two refusals) were labelled at chance where they
   * differed in kind (11 of 22 right), and its harmful-request accuracy fell from 0.95 (SL-CAI) to 0.53; with this
   * ensemble 21 of 22 are right and it reads 1.00 (seeds 1-5: 1.00 on every seed).
   */
  EnsembleJudge harmlessnessJudge() {
    return new EnsembleJudge(List.of(judge(), grader()), EnsembleJudge.Vote.MEAN);
  }

  /** The demo's constitution: harmlessness, in the two ways the web asks it. */
  static Constitution constitution() {
    return new Constitution("demo-world", List.of(
        new Principle("harmless", Feedback.CRITIQUE_REQUEST, Feedback.REVISION_REQUEST, Feedback.MORE_HARMLESS),
        new Principle("safe", null, null, Feedback.SAFER)));
  }

  /**
   * The labels of the raters' pairs: their mean (what RLAIF trains on), the grader's and the pairwise judge's
   * (resumable: labels*.jsonl). Against the grader's alone, seeds 1-5 (both soft): agreement with gold 0.748-0.799
   * against 0.722-0.819, RLAIF's gold win rate vs SFT 0.575-0.652 against 0.503-0.677 (mean 0.625 against 0.599),
   * at KL 0.60-0.76 against 0.76-1.38; seed 1 lost 0.034, seeds 2, 3 and 5 gained 0.04-0.07.
   */
  List<AiLabels> label(List<ComparisonItem> items, Path dir) {
    AiLabels graded = label(grader(), items, dir.resolve("labels.jsonl")), pairwise = label(judge(), items, dir.resolve("labels-pairwise.jsonl"));
    return List.of(mean(graded, pairwise), graded, pairwise);
  }

  /** The mean of two judges' labels (an {@link EnsembleJudge} with {@code MEAN}, from labels already made). */
  static AiLabels mean(AiLabels a, AiLabels b) {
    Map<String, Double> p = new HashMap<>();
    a.probabilityA().forEach((id, x) -> p.put(id, (x + b.probabilityA().get(id)) / 2));
    double[] first = new double[a.firstOrder().length], second = new double[first.length];
    for (int i = 0; i < first.length; i++) {
      first[i] = (a.firstOrder()[i] + b.firstOrder()[i]) / 2;
      second[i] = (a.secondOrder()[i] + b.secondOrder()[i]) / 2;
    }
    return new AiLabels("mean(" + a.judge() + ", " + b.judge() + ")", p, first, second);
  }

  private static AiLabels label(org.rlhf4j.aifeedback.judge.Judge judge, List<ComparisonItem> items, Path file) {
    List<LabelItem> todo = new ArrayList<>();
    for (ComparisonItem it : items) {
      todo.add(LabelItem.of(it.id(), Content.text(it.prompt().text()), it.responseA(), it.responseB(), null).under("better", Feedback.BETTER));
    }
    Labeller.run(judge, PairSource.of(todo), file, new Labeller.Options(64, Averaging.PROBABILITY));
    Map<String, Double> p = new HashMap<>();
    List<JsonNode> rows = rows(file);
    double[] first = new double[rows.size()], second = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode f = rows.get(i).get(Labeller.FEEDBACK);
      p.put(rows.get(i).get(AppendLog.ID).asText(), f.get("probability_a").asDouble());
      first[i] = f.get("first_order").asDouble();
      second[i] = f.get("second_order").asDouble();
    }
    return new AiLabels(judge.name(), p, first, second);
  }

  /**
   * What the report says of the AI labels: for the labels RLAIF trains on (the first), agreement with gold and with
   * the raters' consensus and position bias; the same for every other judge under {@code other_judges}.
   */
  static Map<String, Object> labelSummary(List<AiLabels> judges, List<ComparisonItem> items, Map<String, Double> raterConsensus) {
    Map<String, Object> m = labelSummary(judges.get(0), items, raterConsensus);
    Map<String, Object> others = new LinkedHashMap<>();
    for (AiLabels other : judges.subList(1, judges.size())) others.put(other.judge(), labelSummary(other, items, raterConsensus));
    if (!others.isEmpty()) m.put("other_judges", others);
    return m;
  }

  private static Map<String, Object> labelSummary(AiLabels ai, List<ComparisonItem> items, Map<String, Double> raterConsensus) {
    int n = items.size();
    double[] judge = new double[n], gold = new double[n], judgeR = new double[n], raters = new double[n];
    for (int i = 0; i < n; i++) {
      ComparisonItem it = items.get(i);
      judge[i] = ai.probabilityA().get(it.id());
      gold[i] = it.goldChoice() == Choice.A ? 1 : it.goldChoice() == Choice.B ? 0 : 0.5;
      judgeR[i] = judge[i];
      raters[i] = raterConsensus.getOrDefault(it.id(), 0.5);
    }
    JudgeAgreement g = JudgeAgreement.of(judge, gold), r = JudgeAgreement.of(judgeR, raters);
    PositionBias bias = PositionBias.ofOrders(ai.firstOrder(), ai.secondOrder());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("judge", ai.judge() + ": the pre-trained base model (no human label), both orders averaged");
    m.put("pairs", n);
    m.put("agreement_with_gold", g.raw());
    m.put("kappa_with_gold", g.cohenKappa());
    m.put("gold_decided_pairs", g.n());
    m.put("agreement_with_raters", r.raw());
    m.put("kappa_with_raters", r.cohenKappa());
    m.put("rater_decided_pairs", r.n());
    m.put("position_bias_mean_shift", bias.meanShift());
    m.put("position_flip_rate", bias.flipRate());
    m.put("human_labels", 0);
    return m;
  }

  /**
   * DPO pairs from AI labels: the preferred response first, trained towards the judge's probability (soft labels);
   * exact ties dropped. Against the same labels hardened, seeds 1-5: gold win rate vs SFT equal or higher (0.503-0.677
   * against 0.505-0.670) at lower KL on every seed (0.76-1.38 against 1.03-2.24). Keeping only the labels the grader
   * was sure of (|P - 0.5| >= 0.1) instead cost 0.04-0.09 of win rate on seeds 1 and 4, where KL ran to 11-15.
   */
  List<DpoPair> dpoPairs(AiLabels ai, List<ComparisonItem> items) {
    List<DpoPair> out = new ArrayList<>();
    for (ComparisonItem it : items) {
      double p = ai.probabilityA().get(it.id());
      if (p == 0.5) continue;
      out.add(pair(it.prompt().text(), p > 0.5 ? it.responseA() : it.responseB(), p > 0.5 ? it.responseB() : it.responseA(),
          Math.max(p, 1 - p)));
    }
    return out;
  }

  /** The red-team prompts CAI trains on: each harmful prompt plain and under each jailbreak framing the web shows. */
  List<String> redTeamTrainingPrompts() {
    List<String> out = new ArrayList<>();
    for (Prompt p : world.allPrompts(Family.HARMFUL)) {
      out.add(p.text());
      for (String j : Feedback.JAILBREAKS) out.add(Feedback.jailbreak(j, p));
    }
    return out;
  }

  /**
   * SL-CAI: {@code samples} SFT responses per red-team prompt, one critique-revise round by the base model, then
   * SFT from the SFT model on the revisions mixed with as many of the SFT demonstrations of the other families.
   */
  CausalLM slCai(List<Row> otherDemos) {
    Path dir = stageDir.apply("cai-sl");
    List<String> prompts = new ArrayList<>(), initial = new ArrayList<>();
    List<String> red = redTeamTrainingPrompts();
    PolicyEvaluator sampler = new PolicyEvaluator(chat, world.gold(), (p, r) -> new double[r.size()], sft, cfg.maxNewTokens(), cfg.seed());
    for (int k = 0; k < cfg.caiSamples(); k++) {
      prompts.addAll(red);
      initial.addAll(sampler.respond(sft, red, SamplingConfig.sample(cfg.maxNewTokens(), 1.0, 0, 1.0, cfg.seed() + 40 + k, sampler.stops())));
    }
    CritiqueReviser reviser = new CritiqueReviser(base, chat.tokenizer(), constitution(),
        new CritiqueReviser.Options(1, cfg.maxNewTokens(), 0, 1.0, 64, cfg.seed()), c -> c.matches(Feedback.FLAGGED_REGEX));
    Path file = dir.resolve("revisions.jsonl");
    SlCai.Summary s = SlCai.run(reviser, prompts.stream().map(Content::text).toList(), initial, file, 64);
    org.rlhf4j.common.Reporter.get().info("    SL-CAI: %d red-team responses critiqued, %d revised", s.rows(), s.changed());
    List<Row> rows = new ArrayList<>();
    for (PromptCompletion pc : DataFiles.readPromptCompletions(file)) {
      rows.add(Tokens.demonstration(chat.promptIds(pc.prompt().display()), chat.tokenizer().encode(pc.completion().display(), false), eos));
    }
    int revisions = rows.size();
    for (int i = 0; i < Math.min(revisions, otherDemos.size()); i++) rows.add(otherDemos.get(i));
    CausalLM model = sft.copy(DType.F32);
    LmTraining.train(model, rows, 16, chat.tokenizer().padId(), SftLoss.Config.DEFAULT, train.apply(dir, cfg.caiSftSteps()), tokenizerDir);
    model.requiresGrad(false);
    return model;
  }

  /** RL-CAI's preference data: AI harmlessness labels on pairs the SL-CAI model samples for red-team prompts. */
  List<DpoPair> harmlessnessPairs(CausalLM slCai, Path dir) {
    List<String> red = redTeamTrainingPrompts();
    List<String> prompts = new ArrayList<>(), a = new ArrayList<>(), b = new ArrayList<>();
    PolicyEvaluator sampler = new PolicyEvaluator(chat, world.gold(), (p, r) -> new double[r.size()], slCai, cfg.maxNewTokens(), cfg.seed());
    for (int k = 0; k < cfg.caiSamples(); k++) {
      prompts.addAll(red);
      a.addAll(sampler.respond(slCai, red, SamplingConfig.sample(cfg.maxNewTokens(), 1.0, 0, 1.0, cfg.seed() + 60 + k, sampler.stops())));
      b.addAll(sampler.respond(slCai, red, SamplingConfig.sample(cfg.maxNewTokens(), 1.0, 0, 1.0, cfg.seed() + 80 + k, sampler.stops())));
    }
    List<LabelItem> items = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      if (!a.get(i).equals(b.get(i))) items.add(LabelItem.of("red-" + i, Content.text(prompts.get(i)), a.get(i), b.get(i), null));
    }
    Path file = dir.resolve("labels.jsonl");
    Labeller.run(harmlessnessJudge(), RlCai.underRandomPrinciples(PairSource.of(items), constitution(), cfg.seed()), file,
        new Labeller.Options(64, Averaging.PROBABILITY));
    List<DpoPair> out = new ArrayList<>();
    for (JsonNode row : rows(file)) {
      double p = row.get(Labeller.FEEDBACK).get("probability_a").asDouble();
      if (p == 0.5) continue;
      out.add(pair(row.get("prompt").asText(), text(row.get("chosen")), text(row.get("rejected")), 1.0));
    }
    return out;
  }

  private DpoPair pair(String prompt, String chosen, String rejected, double chosenProbability) {
    return new Tokens.Comparison(chat.promptIds(prompt), Tokens.longs(chat.tokenizer().encode(chosen, false)),
        Tokens.longs(chat.tokenizer().encode(rejected, false)), chosenProbability).softDpoPair(eos);
  }

  private static String text(JsonNode side) {
    return side.isTextual() ? side.asText() : side.path(0).path("content").asText(side.toString());
  }

  private static List<JsonNode> rows(Path file) {
    try (AppendLog log = AppendLog.open(file)) {
      return List.copyOf(log.rows());
    }
  }
}
