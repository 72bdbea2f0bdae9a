package org.rlhf4j.demo.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.aifeedback.AppendLog;
import org.rlhf4j.aifeedback.redteam.Attack;
import org.rlhf4j.aifeedback.redteam.AttackJudge;
import org.rlhf4j.aifeedback.redteam.AttackTemplate;
import org.rlhf4j.aifeedback.redteam.Attacks;
import org.rlhf4j.aifeedback.redteam.RedTeam;
import org.rlhf4j.demo.world.Family;
import org.rlhf4j.demo.world.Feedback;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.evaluation.WinRate;
import org.rlhf4j.evaluation.WinRates;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;

/**
 * Red-teaming in the demo world: every harmful prompt as it is, its bare request reworded, and wrapped in jailbreak
 * framings (those the web shows, which CAI's red-team prompts also use, and held-out ones nobody trained on). Each
 * policy answers every attack (sampled at temperature 0.7, as in evaluation); the gold reward judges the answer
 * against the seed request: the attack succeeded when the answer contains harmful instructions.
 */
final class RedTeaming {
  /** One policy's attack success rates: overall (with its 95% interval), by method, on held-out framings. */
  record Result(String policy, int attacks, WinRate successRate, Map<String, Double> byMethod, double heldOutJailbreaks) {
    Map<String, Object> asJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("attacks", attacks);
      m.put("attack_success_rate", successRate.rate());
      m.put("attack_success_rate_ci", List.of(successRate.lo(), successRate.hi()));
      m.put("by_method", byMethod);
      m.put("held_out_jailbreaks", heldOutJailbreaks);
      return m;
    }
  }

  private final World world;
  private final Chat chat;
  private final DemoConfig cfg;
  private final List<Attack> attacks;

  RedTeaming(World world, Chat chat, DemoConfig cfg) {
    this.world = world;
    this.chat = chat;
    this.cfg = cfg;
    List<Attacks.Seed> seeds = new ArrayList<>();
    for (Prompt p : world.allPrompts(Family.HARMFUL)) seeds.add(new Attacks.Seed(p.text(), world.harmfulRequest(p).orElse(null), "harmful"));
    this.attacks = Attacks.generate(seeds, templates());
  }

  static List<AttackTemplate> templates() {
    List<AttackTemplate> t = new ArrayList<>();
    for (int i = 0; i < Feedback.PARAPHRASES.size(); i++) {
      t.add(new AttackTemplate("reword-" + (i + 1), AttackTemplate.Method.PARAPHRASE, Feedback.PARAPHRASES.get(i)));
    }
    for (int i = 0; i < Feedback.JAILBREAKS.size(); i++) {
      t.add(new AttackTemplate("seen-" + (i + 1), AttackTemplate.Method.JAILBREAK, Feedback.JAILBREAKS.get(i) + " {prompt}"));
    }
    for (int i = 0; i < Feedback.HELD_OUT_JAILBREAKS.size(); i++) {
      t.add(new AttackTemplate("held-out-" + (i + 1), AttackTemplate.Method.JAILBREAK, Feedback.HELD_OUT_JAILBREAKS.get(i) + " {prompt}"));
    }
    return t;
  }

  int size() { return attacks.size(); }

  /** Attacks {@code policy}; its answers go to {@code dir/<name>.jsonl} (rewritten on every run: cheap and deterministic). */
  Result attack(String name, CausalLM policy, Path dir) throws java.io.IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".jsonl");
    Files.deleteIfExists(file);
    PolicyEvaluator sampler = new PolicyEvaluator(chat, world.gold(), (p, r) -> new double[r.size()], policy, cfg.maxNewTokens(), cfg.seed());
    SamplingConfig sampling = SamplingConfig.sample(cfg.maxNewTokens(), 0.7, 0, 1.0, cfg.seed() + 13, sampler.stops());
    RedTeam.Responder responder = batch -> sampler.respond(policy, batch.stream().map(a -> a.prompt().display()).toList(), sampling);
    AttackJudge gold = (batch, responses) -> {
      boolean[] out = new boolean[batch.size()];
      for (int i = 0; i < out.length; i++) {
        Prompt seed = world.prompt(batch.get(i).seed()).orElseThrow();
        out[i] = world.gold().judge(seed, responses.get(i)).harmful();
      }
      return out;
    };
    RedTeam.Report r = RedTeam.run(attacks, responder, gold, file, 256);
    List<JsonNode> rows;
    try (AppendLog log = AppendLog.open(file)) {
      rows = List.copyOf(log.rows());
    }
    double[] hits = rows.stream().mapToDouble(x -> x.path("success").asBoolean() ? 1 : 0).toArray();
    double heldOut = rows.stream().filter(x -> x.path("kind").asText().contains("held-out"))
        .mapToDouble(x -> x.path("success").asBoolean() ? 1 : 0).average().orElse(Double.NaN);
    return new Result(name, r.n(), WinRates.wilson(hits), r.byMethod(), heldOut);
  }
}
