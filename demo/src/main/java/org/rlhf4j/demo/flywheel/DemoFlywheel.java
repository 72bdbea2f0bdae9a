package org.rlhf4j.demo.flywheel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.feedback.FeedbackConfig;
import org.rlhf4j.feedback.FeedbackServer;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.serving.AbDecision;
import org.rlhf4j.serving.ModelServer;
import org.rlhf4j.serving.ServedModel;
import org.rlhf4j.serving.ServiceClient;
import org.rlhf4j.serving.ServingConfig;
import org.rlhf4j.training.kto.KtoConfig;
import org.rlhf4j.training.kto.KtoTrainer;
import org.rlhf4j.training.loop.ModelCheckpoint;
import org.rlhf4j.training.optim.Schedule;
import org.rlhf4j.training.loop.TrainConfig;

/**
 * The data flywheel in the demo world, over the real services: the feedback service ({@code rlhf4j serve}) and
 * serve-model run on loopback, {@link SimulatedUsers} chat with the served SFT policy and react (thumbs, implicit
 * signals), and two turns follow:
 * <ol>
 *   <li>the traffic's feedback is exported twice — thumbs only, and thumbs + implicit signals — and KTO trains a
 *   candidate from SFT on each (what implicit signals add, on the same traffic);</li>
 *   <li>the thumbs + implicit candidate is A/B-served against SFT to new traffic; {@link AbDecision} promotes it or
 *   not; KTO trains the next version from the winner on all feedback so far.</li>
 * </ol>
 * Every trained version is judged by the gold reward through {@code judge} (win rate vs SFT); the per-version served
 * rates come from the feedback service's {@code /api/production/versions}. Resumable: a finished run's
 * {@code flywheel.json} is read back when its settings match.
 */
public final class DemoFlywheel {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  /** Conversations per turn, distinct users, KTO steps per training, tokens per answer, seed; {@code upstream}: the SFT stage's key. */
  public record Settings(int conversations, int users, int ktoSteps, int maxNewTokens, long seed, String upstream) {
    public Settings {
      if (conversations < 10 || users < 1 || ktoSteps < 1 || maxNewTokens < 1) throw new IllegalArgumentException("flywheel settings out of range: " + this);
    }
    String key() {
      return upstream + " flywheel: conversations=" + conversations + " users=" + users + " kto=" + ktoSteps + " tokens=" + maxNewTokens;
    }
  }

  /** Gold win rate vs SFT of a trained version (the demo's evaluator; it also enters the demo's summary under {@code name}). */
  public interface Judge { double goldWinRateVsSft(String name, CausalLM policy); }

  private final World world;
  private final Path sftDir, dir;
  private final Settings s;
  private final Judge judge;
  private final Reporter log = Reporter.get();

  public DemoFlywheel(World world, Path sftDir, Path dir, Settings s, Judge judge) {
    this.world = world;
    this.sftDir = sftDir;
    this.dir = dir;
    this.s = s;
    this.judge = judge;
  }

  /** Runs (or reads back) both turns; returns the summary's {@code flywheel} section. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> run(CausalLM sft) throws IOException {
    Path done = dir.resolve("flywheel.json");
    if (Files.isRegularFile(done)) {
      Map<String, Object> prior = JSON.readValue(done.toFile(), Map.class);
      if (s.key().equals(prior.get("settings"))) {
        log.info("    flywheel: resuming from %s", done);
        rejudge();
        return prior;
      }
    }
    if (Files.exists(dir)) org.rlhf4j.common.FileOps.deleteTree(dir);
    Files.createDirectories(dir);
    String password = "demo-" + Long.toHexString(new SplittableRandom(s.seed()).nextLong());
    try (FeedbackServer fb = FeedbackServer.start(FeedbackConfig.defaults(0, dir.resolve("feedback.db").toString()).withBcryptCost(4),
        password, new PrintStream(OutputStream.nullOutputStream()))) {
      URI fbBase = URI.create(fb.baseUrl());
      ServiceClient admin = ServiceClient.of(fbBase).login("admin", password);
      String token = admin.post("/api/tokens", Map.of("name", "serve-model")).get("token").asText();
      Map<String, Object> out = turns(sft, admin, ServiceClient.of(fbBase).withBearer(token), fbBase, token);
      out.put("settings", s.key());
      JSON.writerWithDefaultPrettyPrinter().writeValue(done.toFile(), out);
      return out;
    }
  }

  private Map<String, Object> turns(CausalLM sft, ServiceClient admin, ServiceClient app, URI fbBase, String token) throws IOException {
    SplittableRandom rnd = new SplittableRandom(s.seed() ^ 0xF1A7L);
    List<Prompt> prompts = world.prompts(2 * s.conversations(), rnd);
    ServedModel sftServed = ServedModel.load(sftDir, "policy");
    List<Map<String, Object>> turns = new ArrayList<>();

    log.info("    flywheel turn 1: %d users chat with the served SFT policy (%d conversations)", s.users(), s.conversations());
    List<SimulatedUsers.Turn> t1 = serve(List.of(sftServed), prompts.subList(0, s.conversations()), app, fbBase, token, rnd);
    List<UnpairedExample> thumbs = export(admin, "explicit", "turn-1-thumbs.jsonl"), all = export(admin, "all", "turn-1-all.jsonl");
    Path thumbsDir = kto(sft, thumbs, dir.resolve("turn-1-thumbs")), allDir = kto(sft, all, dir.resolve("turn-1-all"));
    double winThumbs = judge.goldWinRateVsSft("flywheel_thumbs_only", CausalLM.load(thumbsDir));
    double win1 = judge.goldWinRateVsSft("flywheel_turn1", CausalLM.load(allDir));
    turns.add(turn(1, t1, admin, Map.of("thumbs_only", thumbs.size(), "thumbs_and_implicit", all.size()), win1, null));

    ServedModel v1 = ServedModel.load(allDir, "policy");
    log.info("    flywheel turn 2: A/B test of SFT (%s) against turn 1's version (%s)", sftServed.version(), v1.version());
    long abStart = System.currentTimeMillis();
    List<SimulatedUsers.Turn> t2 = serve(List.of(sftServed, v1), prompts.subList(s.conversations(), prompts.size()), app, fbBase, token, rnd);
    JsonNode versions = admin.json("/api/production/versions?since=" + abStart).path("versions"); // the A/B window only
    long[] a = AbDecision.counts(versions, sftServed.version()), b = AbDecision.counts(versions, v1.version());
    AbDecision d = AbDecision.of(a[0], a[0] + a[1], b[0], b[0] + b[1], 0.05, 20);
    log.info("    flywheel A/B: %s", d.reason());
    boolean promoted = d.verdict() == AbDecision.Verdict.PROMOTE;
    List<UnpairedExample> all2 = export(admin, "all", "turn-2-all.jsonl");
    Path v2Dir = kto(promoted ? CausalLM.load(allDir) : sft, all2, dir.resolve("turn-2"));
    double win2 = judge.goldWinRateVsSft("flywheel_turn2", CausalLM.load(v2Dir));
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
    decision.put("reason", d.reason());
    decision.put("p_value", d.comparison() == null ? null : d.comparison().pValue());
    turns.add(turn(2, t2, admin, Map.of("thumbs_and_implicit", all2.size()), win2, decision));

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("users", s.users());
    out.put("conversations_per_turn", s.conversations());
    out.put("versions", Map.of("sft", sftServed.version(), "turn1", v1.version()));
    out.put("turns", turns);
    Map<String, Object> implicit = new LinkedHashMap<>();
    implicit.put("thumbs_only_labels", thumbs.size());
    implicit.put("thumbs_and_implicit_labels", all.size());
    implicit.put("thumbs_only_gold_win_rate_vs_sft", winThumbs);
    implicit.put("thumbs_and_implicit_gold_win_rate_vs_sft", win1);
    out.put("implicit_vs_thumbs", implicit);
    return out;
  }

  /** Serves {@code versions} (an even A/B split when two) to one turn's traffic, then posts the users' reactions. */
  private List<SimulatedUsers.Turn> serve(List<ServedModel> versions, List<Prompt> prompts, ServiceClient app, URI fbBase, String token,
      SplittableRandom rnd) {
    ServingConfig cfg = ServingConfig.defaults(0).withBatching(1, Duration.ofMillis(0)).withFeedback(fbBase, token);
    SimulatedUsers users;
    List<SimulatedUsers.Turn> turns;
    try (ModelServer server = ModelServer.start("policy", versions, null, cfg)) {
      users = new SimulatedUsers(ServiceClient.of("http://127.0.0.1:" + server.port()), app, world.gold(), s.maxNewTokens());
      turns = users.chat(prompts, s.users(), rnd);
    } // closing flushes the response log, so every thumb and event finds its response
    users.react(turns);
    return turns;
  }

  /** One turn's line of the summary: per served version the responses, mean gold, thumbs-up and desirable rates. */
  private static Map<String, Object> turn(int k, List<SimulatedUsers.Turn> turns, ServiceClient admin, Map<String, Integer> labels, double win,
      Map<String, Object> decision) throws IOException {
    Map<String, Map<String, Object>> served = new LinkedHashMap<>();
    Map<String, double[]> acc = new LinkedHashMap<>(); // responses, gold sum, thumbs, ups
    for (SimulatedUsers.Turn t : turns) {
      double[] a = acc.computeIfAbsent(t.model(), m -> new double[4]);
      a[0]++;
      a[1] += t.gold();
      if (t.thumbUp() != null) { a[2]++; if (t.thumbUp()) a[3]++; }
    }
    acc.forEach((m, a) -> {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("responses", (long) a[0]);
      v.put("mean_gold", a[1] / a[0]);
      v.put("thumbs", (long) a[2]);
      v.put("thumbs_up_rate", a[2] == 0 ? null : a[3] / a[2]);
      served.put(m, v);
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("turn", k);
    out.put("served", served);
    out.put("labels", labels);
    out.put("trained_gold_win_rate_vs_sft", win);
    if (decision != null) out.put("ab_decision", decision);
    return out;
  }

  private List<UnpairedExample> export(ServiceClient admin, String signals, String file) throws IOException {
    Path f = dir.resolve(file);
    Files.writeString(f, admin.text("/api/production/export?format=unpaired&signals=" + signals), StandardCharsets.UTF_8);
    return DataFiles.readUnpaired(f);
  }

  /** KTO from {@code start} (its frozen self the reference) on {@code rows}; the trained model's folder. */
  private Path kto(CausalLM start, List<UnpairedExample> rows, Path out) {
    CausalLM policy = start.copy(DType.F32), reference = start.copy(DType.F32);
    reference.requiresGrad(false);
    TrainConfig t = TrainConfig.defaults(out).toBuilder().lr(2e-4).schedule(Schedule.LINEAR).minLrRatio(0.1).maxSteps(s.ktoSteps())
        .seed(s.seed()).logEvery(Math.max(1, s.ktoSteps() / 10)).saveEvery(s.ktoSteps()).keepCheckpoints(1).build();
    KtoConfig cfg = KtoConfig.defaults(out).withBatchSize(16).withMaxLength(64).withTrain(t);
    ModelCheckpoint io = ModelCheckpoint.of(policy).withTokenizer(sftDir);
    try (Tokenizer tok = Tokenizer.load(sftDir)) {
      KtoTrainer.run(policy, reference, rows, tok, cfg, io);
    }
    io.saveFinal(out);
    return out;
  }

  /**
   * The chart's lines over versions 0 (SFT), 1 and 2 of a run's {@code flywheel} summary: the gold win rate vs SFT
   * of each version, and the thumbs-up rate its users gave while it was served (version 2 is not served: NaN).
   */
  @SuppressWarnings("unchecked")
  public static Map<String, double[]> series(Map<String, Object> summary) {
    List<Map<String, Object>> turns = (List<Map<String, Object>>) summary.get("turns");
    double[] win = {0.5, number(turns.get(0).get("trained_gold_win_rate_vs_sft")), number(turns.get(1).get("trained_gold_win_rate_vs_sft"))};
    Map<String, Map<String, Object>> served1 = (Map<String, Map<String, Object>>) turns.get(0).get("served");
    Map<String, Map<String, Object>> served2 = (Map<String, Map<String, Object>>) turns.get(1).get("served");
    double sftThumbs = served1.values().stream().findFirst().map(v -> number(v.get("thumbs_up_rate"))).orElse(Double.NaN);
    String v1 = String.valueOf(((Map<String, Object>) summary.get("versions")).get("turn1"));
    double v1Thumbs = served2.entrySet().stream().filter(e -> e.getKey().endsWith("@" + v1)).findFirst()
        .map(e -> number(e.getValue().get("thumbs_up_rate"))).orElse(Double.NaN);
    Map<String, double[]> out = new LinkedHashMap<>();
    out.put("gold win rate vs SFT", win);
    out.put("users' thumbs-up rate while served", new double[] {sftThumbs, v1Thumbs, Double.NaN});
    return out;
  }

  private static double number(Object o) { return o instanceof Number n ? n.doubleValue() : Double.NaN; }

  /** A resumed run's trained versions enter the demo's summary again (they are judged anew, deterministically). */
  private void rejudge() {
    judge.goldWinRateVsSft("flywheel_thumbs_only", CausalLM.load(dir.resolve("turn-1-thumbs")));
    judge.goldWinRateVsSft("flywheel_turn1", CausalLM.load(dir.resolve("turn-1-all")));
    judge.goldWinRateVsSft("flywheel_turn2", CausalLM.load(dir.resolve("turn-2")));
  }
}
