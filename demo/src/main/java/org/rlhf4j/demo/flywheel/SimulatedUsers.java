package org.rlhf4j.demo.flywheel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.demo.world.GoldReward;
import org.rlhf4j.demo.world.Prompt;
import org.rlhf4j.serving.ServiceClient;

/**
 * Users of the served policy in the demo world. Each chats over serve-model's OpenAI-compatible API (its {@code user}
 * field routes them through the A/B split); the gold reward decides whether they like an answer, and they say so the
 * way real users do — rarely and noisily with a thumb, more often through what they do next:
 * <ul>
 *   <li>thumbs: given for {@value #THUMB_RATE} of the answers; up when the gold score is above 0, flipped
 *   {@value #THUMB_NOISE} of the time;</li>
 *   <li>a disliked answer (gold below 0): regenerated within a few seconds ({@value #REGENERATE_RATE}; the user asks
 *   again, which is another served response), else abandoned ({@value #ABANDON_RATE});</li>
 *   <li>a liked answer: copied ({@value #COPY_RATE}), else read for a while (dwell 25–60 s) half the time.</li>
 * </ul>
 * The feedback service's {@code ImplicitRules} turn those events into weak labels.
 */
final class SimulatedUsers {
  static final double THUMB_RATE = 0.2, THUMB_NOISE = 0.15, REGENERATE_RATE = 0.6, ABANDON_RATE = 0.3, COPY_RATE = 0.5;

  /** One served answer and what its user did about it. */
  record Turn(String responseId, String user, Prompt prompt, String response, String model, double gold, Boolean thumbUp,
      List<Map<String, Object>> events) {}

  private final ServiceClient serving, feedback;
  private final GoldReward gold;
  private final int maxTokens;

  SimulatedUsers(ServiceClient serving, ServiceClient feedback, GoldReward gold, int maxTokens) {
    this.serving = serving;
    this.feedback = feedback;
    this.gold = gold;
    this.maxTokens = maxTokens;
  }

  /**
   * {@code prompts.size()} conversations (plus the re-asks of regenerated answers), one request at a time (so that a
   * seed gives the same traffic), by {@code users} users; the reactions are posted after the traffic, once
   * serve-model has logged every response.
   */
  List<Turn> chat(List<Prompt> prompts, int users, SplittableRandom rnd) {
    List<Turn> turns = new ArrayList<>();
    for (Prompt p : prompts) {
      String user = "user-" + rnd.nextInt(users);
      for (int attempt = 0; attempt < 2; attempt++) {
        Turn t = ask(user, p, rnd);
        turns.add(t);
        boolean regenerated = t.events().stream().anyMatch(e -> "regenerate".equals(e.get("type")));
        if (!regenerated) break;
      }
    }
    return turns;
  }

  private Turn ask(String user, Prompt p, SplittableRandom rnd) {
    ObjectNode req = JsonNodeFactory.instance.objectNode().put("model", "policy").put("max_tokens", maxTokens).put("temperature", 0.7)
        .put("seed", rnd.nextInt(1 << 30)).put("user", user);
    req.putArray("messages").addObject().put("role", "user").put("content", p.text());
    JsonNode r = serving.post("/v1/chat/completions", req);
    String text = r.at("/choices/0/message/content").asText().trim();
    double g = gold.score(p, text);
    Boolean thumb = rnd.nextDouble() < THUMB_RATE ? (g > 0) != (rnd.nextDouble() < THUMB_NOISE) : null;
    List<Map<String, Object>> events = new ArrayList<>();
    if (g < 0) {
      double u = rnd.nextDouble();
      if (u < REGENERATE_RATE) events.add(Map.of("type", "regenerate", "afterSeconds", 2 + rnd.nextInt(10)));
      else if (u < REGENERATE_RATE + ABANDON_RATE) events.add(Map.of("type", "abandoned"));
    } else if (g > 0) {
      if (rnd.nextDouble() < COPY_RATE) events.add(Map.of("type", "copy"));
      else if (rnd.nextBoolean()) events.add(Map.of("type", "dwell", "seconds", 25 + rnd.nextInt(36)));
    }
    return new Turn(r.get("id").asText(), user, p, text, r.get("model").asText(), g, thumb, events);
  }

  /** Posts every turn's thumb (naming its response) and events to the feedback service's production API. */
  void react(List<Turn> turns) {
    for (Turn t : turns) {
      if (t.thumbUp() != null) {
        Map<String, Object> thumb = new LinkedHashMap<>();
        thumb.put("prompt", List.of(Map.of("role", "user", "content", t.prompt().text())));
        thumb.put("response", t.response());
        thumb.put("thumb", t.thumbUp() ? "up" : "down");
        thumb.put("responseId", t.responseId());
        thumb.put("idempotencyKey", t.responseId() + ".thumb");
        feedback.post("/api/production/feedback", thumb);
      }
      for (int i = 0; i < t.events().size(); i++) {
        Map<String, Object> e = new LinkedHashMap<>(t.events().get(i));
        e.put("responseId", t.responseId());
        e.put("idempotencyKey", t.responseId() + ".e" + i);
        feedback.post("/api/production/events", e);
      }
    }
  }
}
