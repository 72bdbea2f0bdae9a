package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.feedback.FeedbackConfig;
import org.rlhf4j.feedback.FeedbackServer;
import org.rlhf4j.serving.ModelRegistry;
import org.rlhf4j.serving.ServedModel;
import org.rlhf4j.testkit.Shared;

/** One flywheel turn against a live feedback service: export, KTO + DPO, registry, then the A/B verdicts. */
class FlywheelCommandTest {
  @TempDir static Path tmp;
  static FeedbackServer server;
  static Path model, passwordFile;
  static String bearer, base;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static int served;

  @BeforeAll static void start() throws Exception {
    model = Shared.require("fixtures/stories260K");
    passwordFile = Files.writeString(tmp.resolve("admin-password"), "flywheel-admin-pw-1\n");
    server = FeedbackServer.start(FeedbackConfig.defaults(0, tmp.resolve("fb.db").toString()).withBcryptCost(4),
        "flywheel-admin-pw-1", new PrintStream(java.io.OutputStream.nullOutputStream()));
    base = server.baseUrl();
    HttpClient admin = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String csrf = JSON.readTree(send(admin, post("/api/login", Map.of("username", "admin", "password", "flywheel-admin-pw-1")))).get("csrfToken").asText();
    bearer = JSON.readTree(send(admin, post("/api/tokens", Map.of("name", "serve-model")).header("X-CSRF-Token", csrf))).get("token").asText();
  }

  @AfterAll static void stop() { if (server != null) server.close(); }

  static HttpRequest.Builder post(String path, Map<String, ?> body) throws Exception {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
  }

  static String send(HttpClient c, HttpRequest.Builder r) throws Exception {
    HttpResponse<String> resp = c.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isBetween(200, 201);
    return resp.body();
  }

  /** serve-model's part: a response of {@code version} logged, then the user's thumb on it (and a correction). */
  static void served(String version, String prompt, String response, boolean up, String correction) throws Exception {
    String id = "cmpl-" + (++served);
    send(HTTP, post("/api/production/responses", Map.of("responseId", id, "prompt", prompt, "response", response, "model", "policy",
        "modelVersion", version)).header("Authorization", "Bearer " + bearer));
    Map<String, Object> thumb = new LinkedHashMap<>(Map.of("prompt", prompt, "response", response, "thumb", up ? "up" : "down", "responseId", id));
    if (correction != null) thumb.put("correction", correction);
    send(HTTP, post("/api/production/feedback", thumb).header("Authorization", "Bearer " + bearer));
  }

  @Test void aTurnTrainsACandidateAndTheAbTestDecides() throws Exception {
    String v0 = ServedModel.version(model);
    String[] prompts = {"Once upon a time", "The cat", "Lily went", "Tom saw"};
    for (int i = 0; i < 8; i++) {
      boolean up = i % 2 == 0;
      served(v0, prompts[i % 4], up ? " there was a happy dog." : " the the the", up, up ? null : " there was a big tree.");
    }
    Path out = tmp.resolve("flywheel");
    CliRun turn = CliRun.of("flywheel", "turn", "--service", base, "--password-file", passwordFile.toString(), "--model", model.toString(),
        "--output", out.toString(), "--max-steps", "2", "--batch-size", "2", "--min-pairs", "100");
    assertThat(turn.code()).as(turn.err() + turn.out()).isZero();
    assertThat(turn.out()).contains("12 labelled responses (8 desirable), 4 correction pairs").contains("--ab-model")
        .contains("4 correction pairs < --min-pairs 100: no DPO stage");
    ModelRegistry reg = ModelRegistry.read(out).orElseThrow();
    assertThat(reg.current()).isEqualTo(v0);
    assertThat(reg.candidate()).isNotNull().isNotEqualTo(v0);
    assertThat(reg.entry(reg.candidate()).path()).endsWith("turn-1/kto");
    assertThat(reg.entry(reg.candidate()).trainedOn()).containsEntry("pairs", 4).containsEntry("stages", List.of("kto"));
    assertThat(out.resolve("turn-1/kto/config.json")).isRegularFile();
    assertThat(out.resolve("turn-1/kto/tokenizer.json")).as("the candidate is a servable model folder").isRegularFile();
    assertThat(ServedModel.version(out.resolve("turn-1/kto"))).isEqualTo(reg.candidate());

    CliRun again = CliRun.of("flywheel", "turn", "--service", base, "--password-file", passwordFile.toString(), "--output", out.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("still the candidate").contains("flywheel decide");

    String[] decide = {"flywheel", "decide", "--service", base, "--password-file", passwordFile.toString(), "--output", out.toString(), "--min-labelled", "20"};
    CliRun early = CliRun.of(decide);
    assertThat(early.code()).as(early.err()).isZero();
    assertThat(early.out()).contains("keep collecting").contains("too little feedback");
    assertThat(ModelRegistry.read(out).orElseThrow().candidate()).isEqualTo(reg.candidate());

    for (int i = 0; i < 30; i++) {
      served(v0, "p" + i, "a", i < 12, null);                 // current: 12 up of 30 in the A/B window (turn 1's 8 are older)
      served(reg.candidate(), "p" + i, "b", i < 27, null);    // candidate: 27 up of 30
    }
    CliRun verdict = CliRun.of(decide);
    assertThat(verdict.code()).as(verdict.err()).isZero();
    assertThat(verdict.out()).contains("promoted " + reg.candidate());
    ModelRegistry after = ModelRegistry.read(out).orElseThrow();
    assertThat(after.current()).isEqualTo(reg.candidate());
    assertThat(after.candidate()).isNull();
    assertThat(after.entry(v0).status()).isEqualTo("retired");
    List<String> decisions = Files.readAllLines(out.resolve("decisions.jsonl"));
    assertThat(decisions).hasSize(2);
    JsonNode last = JSON.readTree(decisions.get(1));
    assertThat(last.get("verdict").asText()).isEqualTo("promote");
    assertThat(last.get("candidate_desirable").asLong()).isEqualTo(27);
    assertThat(last.get("p_value").asDouble()).isLessThan(0.05);

    CliRun none = CliRun.of(decide);
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no candidate version");
  }

  @Test void badInputIsAClearUsageError() throws Exception {
    CliRun noModel = CliRun.of("flywheel", "turn", "--service", base, "--password-file", passwordFile.toString(), "--output", tmp.resolve("f2").toString());
    assertThat(noModel.code()).isEqualTo(2);
    assertThat(noModel.err()).contains("--model is required on the first turn");
    CliRun badSignals = CliRun.of("flywheel", "turn", "--service", base, "--output", tmp.resolve("f3").toString(), "--signals", "vibes");
    assertThat(badSignals.code()).isEqualTo(2);
    assertThat(badSignals.err()).contains("--signals");
    Path wrong = Files.writeString(tmp.resolve("wrong-password"), "nope\n");
    CliRun denied = CliRun.of("flywheel", "turn", "--service", base, "--password-file", wrong.toString(), "--model", model.toString(),
        "--output", tmp.resolve("f4").toString());
    assertThat(denied.code()).isEqualTo(2);
    assertThat(denied.err()).contains("/api/login answered 401");
    CliRun unreachable = CliRun.of("flywheel", "decide", "--service", "http://127.0.0.1:1", "--password-file", passwordFile.toString(),
        "--output", tmp.resolve("f5").toString());
    assertThat(unreachable.code()).isEqualTo(2);
    assertThat(unreachable.err()).contains("has no registry.json");
  }
}
