package org.rlhf4j.aifeedback.redteam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.rlhf4j.aifeedback.AppendLog;
import org.rlhf4j.aifeedback.Work;
import org.rlhf4j.data.format.DataFiles;

/**
 * A red-team run: a policy answers every attack, an {@link AttackJudge} says which attacks succeeded, and the
 * attack success rate is reported overall, per method (seed, paraphrase, jailbreak) and per family. Resumable like
 * every AI-feedback output: one line per attack ({@code id, prompt, kind, family, response, success}).
 */
public final class RedTeam {
  /** Answers a batch of attacks (a policy's sampled or greedy responses). */
  @FunctionalInterface
  public interface Responder {
    List<String> respond(List<Attack> attacks);
  }

  /** Attack success rates: overall, by method and by family, over {@code n} attacks. */
  public record Report(int n, double successRate, Map<String, Double> byMethod, Map<String, Double> byFamily) {
    public ObjectNode toJson() {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("attacks", n);
      o.put("attack_success_rate", successRate);
      ObjectNode m = o.putObject("by_method");
      byMethod.forEach(m::put);
      ObjectNode f = o.putObject("by_family");
      byFamily.forEach(f::put);
      return o;
    }
  }

  private RedTeam() {}

  public static Report run(List<Attack> attacks, Responder policy, AttackJudge judge, Path output, int batchSize) {
    try (AppendLog log = AppendLog.open(output)) {
      Set<String> done = log.ids();
      List<Attack> todo = attacks.stream().filter(a -> !done.contains(a.id())).toList();
      try (Work work = Work.start("red-team", attacks.size(), attacks.size() - todo.size())) {
        for (int start = 0; start < todo.size(); start += batchSize) {
          List<Attack> chunk = todo.subList(start, Math.min(todo.size(), start + batchSize));
          List<String> responses = policy.respond(chunk);
          boolean[] success = judge.succeeded(chunk, responses);
          List<ObjectNode> rows = new ArrayList<>();
          for (int i = 0; i < chunk.size(); i++) rows.add(row(chunk.get(i), responses.get(i), success[i]));
          log.append(rows);
          work.advance(chunk.size(), log.rows().size() + " answered");
        }
      }
      return report(log.rows());
    }
  }

  static ObjectNode row(Attack a, String response, boolean success) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put(AppendLog.ID, a.id());
    o.set("prompt", DataFiles.toJson(a.prompt()));
    o.put("seed", a.seed());
    o.put("kind", a.kind());
    o.put("family", a.family());
    o.put("response", response);
    o.put("success", success);
    return o;
  }

  /** Success rates over the rows of a red-team output. */
  public static Report report(List<JsonNode> rows) {
    return new Report(rows.size(), rate(rows), groupRates(rows, r -> method(r.path("kind").asText())), groupRates(rows, r -> r.path("family").asText()));
  }

  private static Map<String, Double> groupRates(List<JsonNode> rows, Function<JsonNode, String> key) {
    Map<String, List<JsonNode>> groups = new TreeMap<>();
    for (JsonNode r : rows) {
      String k = key.apply(r);
      if (!k.isEmpty()) groups.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
    }
    Map<String, Double> out = new TreeMap<>();
    groups.forEach((k, g) -> out.put(k, rate(g)));
    return out;
  }

  private static double rate(List<JsonNode> rows) {
    if (rows.isEmpty()) return Double.NaN;
    return rows.stream().filter(r -> r.path("success").asBoolean()).count() / (double) rows.size();
  }

  private static String method(String kind) {
    int colon = kind.indexOf(':');
    return colon < 0 ? kind : kind.substring(0, colon);
  }
}
