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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.synth.text.PreQueryPrompts;
import org.rlhf4j.synth.text.SyntheticPairs;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loss.RewardLoss;
import org.rlhf4j.training.reward.Group;
import org.rlhf4j.training.reward.RewardModel;
import org.rlhf4j.training.reward.RewardOptions;
import org.rlhf4j.training.reward.RewardTrainer;
import org.rlhf4j.training.rollout.Scorer;

/**
 * Synthetic preference pairs against the raters' pairs in the demo world (issue 15): what a reward model trained on
 * AI-labelled pairs buys or costs, judged on the raters' held-out pairs by the gold reward. Stages 1-3 of the demo
 * ({@code small}: the quick model, hidden 64 / 2 layers, 400 + 200 steps, 3,000 comparison items; resumable in OUT),
 * then reward models from the SFT model, each from the same initialisation and trained for the same steps:
 *
 * <ul>
 *   <li>{@code real}: every rater training pair (the held-out fifth is the demo's);
 *   <li>{@code few}: {@code few} of them (shuffled by seed) — also the teacher that labels the synthetic pairs;
 *   <li>{@code synth}: synthetic prompts (Magpie: the base model continues the chat template's pre-query text, {@link
 *   PreQueryPrompts}), {@code k} SFT samples each, best-vs-worst under the teacher with its soft label ({@link
 *   SyntheticPairs}) — no human label beyond the teacher's {@code few};
 *   <li>{@code synth-world}: the same labelling on prompts drawn from the world (what the prompt source costs);
 *   <li>{@code synth-world-gold}: those pairs that gold can tell apart, labelled by gold (what the teacher's labels cost);
 *   <li>{@code few+synth}: the teacher's pairs and the synthetic ones together.
 * </ul>
 *
 * One JSON line per arm (held-out accuracy on the raters' labels and on gold; gold ties skipped) and one for the
 * synthetic data (prompts kept and rejected, share that are the world's prompts, the teacher's agreement with gold on
 * the synthetic pairs whose prompt gold can score). Options {@code key=value}: seed, world (the demo world's seed,
 * default seed), few, synth (prompts), k, steps, batch, lr, dedup (word-bigram Jaccard at which a synthetic prompt is
 * a duplicate), arms.
 *
 * <pre>
 * mvn -q -B -ntp -o -pl demo -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/cp.txt
 * java --add-modules jdk.incubator.vector -cp demo/target/test-classes:demo/target/classes:$(cat cp.txt) \
 *   org.rlhf4j.demo.pipeline.SynthPairsBench runs/synth-bench seed=1
 * </pre>
 */
public final class SynthPairsBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> o;
  private final long seed;
  private final Path out;
  private final Stages st;
  private final List<Group> test;
  private final List<double[]> testGold;

  private SynthPairsBench(Path out, Map<String, String> o) throws Exception {
    this.o = o;
    this.out = out;
    seed = Long.parseLong(o.get("seed"));
    long world = o.get("world").isEmpty() ? seed : Long.parseLong(o.get("world"));
    DemoConfig demo = new DemoConfig(out, world, false, false, 64, 2, 4, 2, 160, 8000, 400, 200, 3000, 3, 9, intOf("steps"), 8, 16, 12, 4, 60, 24,
        0.2, 5e-5, 0.1, "sigmoid", null, null);
    st = new DemoPipeline(demo).stages();
    int held = Math.max(1, st.comparisons().size() / 5); // the demo's held-out fifth
    test = groups().subList(0, held);
    testGold = goldOf(st.world(), st.prefs().pairs()).subList(0, held);
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "runs/synth-bench");
    new SynthPairsBench(out, options(Arrays.copyOfRange(args, Math.min(1, args.length), args.length))).run();
  }

  private void run() throws Exception {
    List<Group> all = groups();
    List<Group> train = new ArrayList<>(all.subList(test.size(), all.size()));
    Collections.shuffle(train, new Random(seed));
    List<Group> few = new ArrayList<>(train.subList(0, Math.min(intOf("few"), train.size())));
    Set<String> arms = arms(o.get("arms"));
    if (arms.contains("real")) train("real", train);
    RewardModel teacher = train("few", few); // always: it labels the synthetic pairs
    if (arms.stream().noneMatch(a -> a.contains("synth"))) return;
    long cpu0 = cpuNanos();
    int count = intOf("synth");
    PreQueryPrompts.Result made = PreQueryPrompts.generate(st.base(), st.chat().tokenizer(), new PreQueryPrompts.Config(count,
        4 * count / 64 + 4, 64, World.MAX_PROMPT_WORDS + 2, 1.0, seed, 2, World.MAX_PROMPT_WORDS, Double.parseDouble(o.get("dedup"))));
    List<String> worldPrompts = st.world().prompts(made.prompts().size(), new SplittableRandom(seed ^ 0x5717)).stream().map(Prompt::text).toList();
    Labelled synth = label(teacher, made.prompts(), seed);
    Labelled synthWorld = arms.contains("synth-world") || arms.contains("synth-world-gold") ? label(teacher, worldPrompts, seed + 1) : null;
    print(dataLine(made, synth, synthWorld, (cpuNanos() - cpu0) / 1e9));
    if (arms.contains("synth")) train("synth", synth.groups());
    if (arms.contains("synth-world")) train("synth-world", synthWorld.groups());
    if (arms.contains("synth-world-gold")) train("synth-world-gold", synthWorld.goldLabelled());
    List<Group> both = new ArrayList<>(few);
    both.addAll(synth.groups());
    if (arms.contains("few+synth")) train("few+synth", both);
  }

  /** One reward model from the SFT model (the same initialisation for every arm), trained on {@code data}; prints its line. */
  private RewardModel train(String arm, List<Group> data) throws Exception {
    long cpu0 = cpuNanos();
    String load = String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    int steps = intOf("steps"), batch = intOf("batch");
    RewardModel rm = RewardModel.init(st.sft().copy(DType.F32), st.sftDir(), seed);
    Path dir = out.resolve("synth-seed" + seed + "-" + arm);
    FileOps.deleteTree(dir); // every run retrains its arms (only the demo's stages 1-3 resume)
    TrainConfig cfg = TrainConfig.defaults(dir).toBuilder().lr(Double.parseDouble(o.get("lr")))
        .maxSteps(steps).warmupSteps(Math.min(20, steps / 10)).weightDecay(0.01).seed(seed).logEvery(Math.max(1, steps / 10)).saveEvery(0).build();
    RewardOptions opts = RewardOptions.defaults().withBatchSize(batch).withLoss(new RewardLoss.Config(0.0, 0.01));
    RewardTrainer.trainGroups(rm, data, cfg, opts, null);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "synth-pairs");
    line.put("arm", arm);
    line.put("seed", seed);
    line.put("world_seed", st.world().seed());
    line.put("train_pairs", data.size());
    line.put("steps", steps);
    line.put("batch", batch);
    line.put("heldout_pairs", test.size());
    line.put("heldout_accuracy_raters", rm.accuracy(test));
    line.put("heldout_accuracy_gold", goldAccuracy(rm, test, testGold));
    line.put("cpu_s", (cpuNanos() - cpu0) / 1e9);
    line.put("load_average_at_start", load);
    print(line);
    return rm;
  }

  private Map<String, Object> dataLine(PreQueryPrompts.Result made, Labelled synth, Labelled synthWorld, double cpuSeconds) {
    List<String> prompts = made.prompts();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("bench", "synth-data");
    line.put("seed", seed);
    line.put("prompts_generated", made.generated());
    line.put("prompts_kept", prompts.size());
    line.put("rejected_unfinished", made.unfinished());
    line.put("rejected_length", made.rejectedLength());
    line.put("rejected_duplicate", made.rejectedNgram());
    line.put("world_prompt_share", prompts.stream().filter(p -> st.world().prompt(p).isPresent()).count() / (double) prompts.size());
    line.put("world_catalog_prompts", st.world().allPrompts().size());
    line.put("pairs_synth", synth.groups().size());
    line.put("teacher_gold_agreement_synth", synth.goldAgreement());
    line.put("gold_scorable_synth", synth.goldScorable());
    if (synthWorld != null) {
      line.put("pairs_synth_world", synthWorld.groups().size());
      line.put("teacher_gold_agreement_synth_world", synthWorld.goldAgreement());
      line.put("gold_scorable_synth_world", synthWorld.goldScorable());
    }
    line.put("examples", prompts.subList(0, Math.min(8, prompts.size())));
    line.put("cpu_s", cpuSeconds);
    return line;
  }

  /**
   * Synthetic pairs in the reward model's rows, how often the teacher's choice agrees with gold (where gold can score
   * the prompt and does not tie), and those scorable pairs again with gold's hard label (the labeller's ceiling).
   */
  record Labelled(List<Group> groups, double goldAgreement, List<Group> goldLabelled) {
    Labelled {
      groups = List.copyOf(groups);
      goldLabelled = List.copyOf(goldLabelled);
      if (goldLabelled.size() > groups.size()) throw new IllegalArgumentException("goldLabelled: " + goldLabelled.size() + " of " + groups.size() + " pairs");
    }

    int goldScorable() { return goldLabelled.size(); }
  }

  /** k SFT samples per prompt, best-vs-worst under the teacher (soft label), as reward-model rows. */
  private Labelled label(RewardModel teacher, List<String> prompts, long samplingSeed) {
    var tok = st.chat().tokenizer();
    int eos = tok.eosId().orElseThrow();
    Map<String, long[]> ids = new HashMap<>(); // the prompt as SyntheticPairs decodes it -> its rendered ids
    Map<String, String> promptOf = new HashMap<>(); // ... -> the prompt's text
    List<long[]> rendered = new ArrayList<>();
    for (String p : prompts) {
      long[] r = st.chat().promptIds(p);
      String key = tok.decode(Arrays.stream(r).mapToInt(Math::toIntExact).toArray(), true);
      rendered.add(r);
      ids.put(key, r);
      promptOf.put(key, p);
    }
    Scorer scorer = (ps, rs) -> {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < ps.size(); i++) rows.add(Tokens.scored(ps.get(i), rs.get(i), eos));
      return teacher.scoreRows(rows);
    };
    List<PreferencePair> pairs = SyntheticPairs.generate(st.sft(), tok, scorer, rendered, intOf("k"),
        SamplingConfig.sample(24, 1.0, 0, 1.0, samplingSeed + 11, tok.stopIds()), SyntheticPairs.Pairing.BEST_WORST, 128);
    List<Group> groups = new ArrayList<>(), goldLabelled = new ArrayList<>();
    int agree = 0;
    for (PreferencePair pp : pairs) {
      String key = text(pp.prompt()), c = text(pp.chosen()), r = text(pp.rejected());
      long[] prompt = ids.get(key);
      Row chosen = Tokens.scored(prompt, Tokens.longs(tok.encode(c, false)), eos), rejected = Tokens.scored(prompt, Tokens.longs(tok.encode(r, false)), eos);
      groups.add(Group.pair(chosen, rejected, pp.chosenProbability()));
      var known = st.world().prompt(promptOf.get(key));
      if (known.isEmpty()) continue;
      double gc = st.world().gold().score(known.get(), c), gr = st.world().gold().score(known.get(), r);
      if (Math.abs(gc - gr) <= 1e-9) continue;
      if (gc > gr) agree++;
      goldLabelled.add(gc > gr ? Group.pair(chosen, rejected, 1.0) : Group.pair(rejected, chosen, 1.0));
    }
    return new Labelled(groups, goldLabelled.isEmpty() ? Double.NaN : agree / (double) goldLabelled.size(), goldLabelled);
  }

  private List<Group> groups() {
    int eos = st.chat().tokenizer().eosId().orElseThrow();
    return st.comparisons().stream().map(c -> c.group(eos)).toList();
  }

  private int intOf(String key) { return Integer.parseInt(o.get(key)); }

  private static String text(Content c) {
    return c instanceof org.rlhf4j.data.Chat chat ? chat.messages().get(0).content() : ((org.rlhf4j.data.Text) c).text();
  }

  /** Gold scores {chosen, rejected} of each rater pair. */
  static List<double[]> goldOf(World world, List<PreferencePair> pairs) {
    List<double[]> out = new ArrayList<>();
    for (PreferencePair p : pairs) {
      Prompt prompt = world.prompt(text(p.prompt())).orElseThrow();
      out.add(new double[] {world.gold().score(prompt, text(p.chosen())), world.gold().score(prompt, text(p.rejected()))});
    }
    return out;
  }

  /** Share of pairs (gold ties skipped) where the model scores higher the response gold scores higher. */
  static double goldAccuracy(RewardModel rm, List<Group> pairs, List<double[]> gold) {
    List<Row> rows = new ArrayList<>();
    for (Group g : pairs) rows.addAll(g.responses());
    double[] s = rm.scoreRows(rows);
    int n = 0, right = 0, offset = 0;
    for (int i = 0; i < pairs.size(); i++) {
      Group g = pairs.get(i);
      double d = s[offset + g.chosen()[0]] - s[offset + g.rejected()[0]], gd = gold.get(i)[0] - gold.get(i)[1];
      offset += g.responses().size();
      if (Math.abs(gd) <= 1e-9) continue;
      n++;
      if (d * gd > 0) right++;
    }
    return n == 0 ? Double.NaN : right / (double) n;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>(Map.of("seed", "1", "world", "", "few", "200", "synth", "2000", "k", "4", "steps", "400",
        "batch", "16", "lr", "5e-4", "dedup", "0.7", "arms", "real,few,synth,synth-world,synth-world-gold,few+synth"));
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 0 || !o.containsKey(a.substring(0, eq))) throw new IllegalArgumentException("unknown option '" + a + "' (known: " + new TreeSet<>(o.keySet()) + ")");
      o.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return o;
  }

  private static final List<String> ARMS = List.of("real", "few", "synth", "synth-world", "synth-world-gold", "few+synth");

  static Set<String> arms(String list) {
    Set<String> out = new LinkedHashSet<>();
    for (String a : list.split(",")) {
      if (!ARMS.contains(a.strip())) throw new IllegalArgumentException("arms: unknown arm '" + a.strip() + "' (known: " + ARMS + ")");
      out.add(a.strip());
    }
    return out;
  }

  private static long cpuNanos() { return DpRewardBench.cpuNanos(); }

  private static void print(Map<String, Object> line) throws Exception {
    System.out.println(JSON.writeValueAsString(line)); // a benchmark's JSON line on stdout (test scope, not library code)
  }
}
