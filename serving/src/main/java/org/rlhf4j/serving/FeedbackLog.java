package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.rlhf4j.common.Reporter;

/**
 * Logs each served (prompt, response, model version) under its response id to the feedback service's production
 * API ({@code POST /api/production/responses}, API token), off the request path: a failed post is counted
 * ({@code rlhf4j_feedback_log_failures}) and warned about, never failing the completion.
 */
final class FeedbackLog implements AutoCloseable {
  private final URI endpoint;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "rlhf4j-feedback-log");
    t.setDaemon(true);
    return t;
  });
  private final Counter sent, failed;

  FeedbackLog(URI base, String token, MeterRegistry registry) {
    this.endpoint = base.resolve("/api/production/responses");
    this.token = token;
    this.sent = Counter.builder("rlhf4j_feedback_logged").register(registry);
    this.failed = Counter.builder("rlhf4j_feedback_log_failures").register(registry);
  }

  /** Queues the record; {@code messages} (chat) or the prompt text is the prompt. */
  void record(String responseId, JsonNode messages, String promptText, String response, String model, String version,
      String user) {
    ObjectNode body = ModelServer.JSON.createObjectNode().put("responseId", responseId);
    if (messages != null) body.set("prompt", messages); // the feedback service takes chat prompts as an array of {role, content}
    else body.put("prompt", promptText);
    body.put("response", response).put("model", model).put("modelVersion", version);
    if (user != null) body.put("user", user);
    pool.submit(() -> post(body));
  }

  private void post(ObjectNode body) {
    try {
      HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(ModelServer.JSON.writeValueAsString(body))).build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) sent.increment();
      else {
        failed.increment();
        Reporter.get().warn("serve-model: the feedback service answered " + r.statusCode() + " to " + endpoint + ": " + r.body());
      }
    } catch (Exception e) {
      failed.increment();
      Reporter.get().warn("serve-model: cannot log to " + endpoint + ": " + e.getMessage());
    }
  }

  @Override public void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
