package org.rlhf4j.aifeedback.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible judge against a scripted server on loopback. */
class OpenAiJudgeTest {
  /** Fast retries so the tests do not wait; timeouts short enough to trip on a slow stub. */
  static OpenAiJudge.Options fast(int retries, long timeoutMillis) {
    return new OpenAiJudge.Options(Duration.ofSeconds(2), Duration.ofMillis(timeoutMillis), retries, Duration.ofMillis(5),
        Duration.ofMillis(20), 1, 20);
  }

  static OpenAiJudge judge(StubServer s, OpenAiJudge.Options o) {
    return new OpenAiJudge(new OpenAiJudge.Endpoint(s.baseUrl(), "sk-test", "judge-7b"), JudgeTemplate.defaults(), o);
  }

  private static final Comparison ITEM = Comparison.of("What is 2+2?", "4", "5");

  @Test
  void sendsOneGreedyTokenRequestWithLogprobsAndReadsTheOptions() throws Exception {
    try (StubServer s = StubServer.of(i -> StubServer.Reply.ok(StubServer.completion("A", "A", -0.5, " B", -1.6, "The", -3.0, " A", -3.0)))) {
      Verdict v = judge(s, fast(0, 2000)).compare(ITEM);
      // p(A) sums "A" and " A": log(e^-0.5 + e^-3); p(B) = e^-1.6.
      double la = Math.log(Math.exp(-0.5) + Math.exp(-3.0)), lb = -1.6;
      assertThat(v.probabilityA()).isCloseTo(1 / (1 + Math.exp(lb - la)), within(1e-9));
      assertThat(v.optionMass()).isCloseTo(Math.exp(la) + Math.exp(lb), within(1e-9));
      JsonNode req = new ObjectMapper().readTree(s.bodies.get(0));
      assertThat(req.get("model").asText()).isEqualTo("judge-7b");
      assertThat(req.get("logprobs").asBoolean()).isTrue();
      assertThat(req.get("top_logprobs").asInt()).isEqualTo(20);
      assertThat(req.get("max_tokens").asInt()).isEqualTo(1);
      assertThat(req.get("temperature").asDouble()).isZero();
      String user = req.at("/messages/0/content").asText();
      assertThat(req.at("/messages/0/role").asText()).isEqualTo("user");
      assertThat(user).contains("What is 2+2?").contains("[Response A]\n4").contains("[Response B]\n5");
      assertThat(s.authorizations).containsExactly("Bearer sk-test");
    }
  }

  @Test
  void bothOrdersGoToTheServerAndAMissingOptionGetsTheSmallestListedProbability() throws Exception {
    // First order: A likely; swapped order: only "A" listed (B below the list's floor of -4).
    try (StubServer s = StubServer.of(i -> StubServer.Reply.ok(i == 0 ? StubServer.completion("A", "A", -0.1, "B", -2.4)
        : StubServer.completion("A", "A", -0.3, "x", -4.0)))) {
      List<BothOrders.Debiased> d = BothOrders.of(judge(s, fast(0, 2000))).compareBoth(List.of(ITEM));
      assertThat(d.get(0).firstOrder()).isCloseTo(1 / (1 + Math.exp(-2.3)), within(1e-9));
      assertThat(d.get(0).secondOrder()).isCloseTo(1 - 1 / (1 + Math.exp(-3.7)), within(1e-9));
      assertThat(s.requests()).isEqualTo(2);
      assertThat(new ObjectMapper().readTree(s.bodies.get(1)).at("/messages/0/content").asText()).contains("[Response A]\n5");
    }
  }

  @Test
  void retriesRateLimitsAndServerErrorsWithBackoff() throws Exception {
    String ok = StubServer.completion("B", "B", -0.05, "A", -3.0);
    try (StubServer s = StubServer.of(i -> switch (i) {
      case 0 -> new StubServer.Reply(429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "0"), 0);
      case 1 -> StubServer.Reply.status(500);
      case 2 -> StubServer.Reply.status(503);
      default -> StubServer.Reply.ok(ok);
    })) {
      Verdict v = judge(s, fast(3, 2000)).compare(ITEM);
      assertThat(v.probabilityA()).isCloseTo(1 / (1 + Math.exp(2.95)), within(1e-9));
      assertThat(s.requests()).isEqualTo(4);
    }
    HttpRetry r = new HttpRetry(new HttpRetry.Options(Duration.ofSeconds(1), Duration.ofSeconds(1), 5, Duration.ofMillis(100), Duration.ofMillis(350)));
    assertThat(List.of(r.backoff(0), r.backoff(1), r.backoff(2), r.backoff(3)))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350), Duration.ofMillis(350));
  }

  @Test
  void givesUpAfterTheRetriesNamingTheLastFailure() throws Exception {
    try (StubServer s = StubServer.of(i -> StubServer.Reply.status(500))) {
      assertThatThrownBy(() -> judge(s, fast(2, 2000)).compare(ITEM)).isInstanceOf(JudgeException.class)
          .hasMessageContaining("gave up after 3 attempts").hasMessageContaining("HTTP 500").hasMessageContaining("/v1/chat/completions");
      assertThat(s.requests()).isEqualTo(3);
    }
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    try (StubServer s = StubServer.of(i -> new StubServer.Reply(401, "{\"error\":\"bad key\"}", Map.of(), 0))) {
      assertThatThrownBy(() -> judge(s, fast(3, 2000)).compare(ITEM)).hasMessageContaining("HTTP 401").hasMessageContaining("bad key");
      assertThat(s.requests()).isEqualTo(1);
    }
  }

  @Test
  void timesOutAndRetriesASlowServer() throws Exception {
    String ok = StubServer.completion("A", "A", -0.1, "B", -2.0);
    try (StubServer s = StubServer.of(i -> new StubServer.Reply(200, ok, Map.of(), i == 0 ? 3000 : 0))) {
      assertThat(judge(s, fast(1, 300)).compare(ITEM).probabilityA()).isCloseTo(1 / (1 + Math.exp(-1.9)), within(1e-9));
      assertThat(s.requests()).isEqualTo(2);
    }
    try (StubServer s = StubServer.of(i -> new StubServer.Reply(200, ok, Map.of(), 3000))) {
      assertThatThrownBy(() -> judge(s, fast(1, 200)).compare(ITEM)).hasMessageContaining("timed out after 200 ms")
          .hasMessageContaining("gave up after 2 attempts");
    }
  }

  @Test
  void malformedRepliesGiveClearErrors() throws Exception {
    try (StubServer s = StubServer.of(i -> StubServer.Reply.ok("{\"choices\": [oops"))) {
      assertThatThrownBy(() -> judge(s, fast(0, 2000)).compare(ITEM)).hasMessageContaining("malformed reply (not JSON");
    }
    try (StubServer s = StubServer.of(i -> StubServer.Reply.ok("{\"choices\":[{\"message\":{\"content\":\"A\"}}]}"))) {
      assertThatThrownBy(() -> judge(s, fast(0, 2000)).compare(ITEM))
          .hasMessageContaining("no choices[0].logprobs.content[0].top_logprobs").hasMessageContaining("support logprobs");
    }
    try (StubServer s = StubServer.of(i -> StubServer.Reply.ok(StubServer.completion("Sure", "Sure", -0.1, "I", -1.0)))) {
      assertThatThrownBy(() -> judge(s, fast(0, 2000)).compare(ITEM)).hasMessageContaining("neither option").hasMessageContaining("'Sure'");
    }
  }

  @Test
  void theEndpointComesFromTheEnvironment() {
    var e = OpenAiJudge.Endpoint.fromEnvironment(Map.of("OPENAI_BASE_URL", "http://localhost:8000/v1/"), "m");
    assertThat(e.chatCompletions().toString()).isEqualTo("http://localhost:8000/v1/chat/completions");
    assertThat(e.apiKey()).isNull();
    assertThat(OpenAiJudge.Endpoint.fromEnvironment(Map.of("OPENAI_BASE_URL", "http://localhost:11434"), "m").chatCompletions().toString())
        .isEqualTo("http://localhost:11434/v1/chat/completions");
    assertThatThrownBy(() -> OpenAiJudge.Endpoint.fromEnvironment(Map.of(), "m")).hasMessageContaining("set OPENAI_BASE_URL");
  }

  @Test
  void concurrentRequestsKeepTheOrderOfTheComparisons() throws Exception {
    try (StubServer s = new StubServer((i, body) -> StubServer.Reply.ok(body.contains("[Response A]\\nx")
        ? StubServer.completion("A", "A", -0.1, "B", -3.0) : StubServer.completion("B", "B", -0.1, "A", -3.0)))) {
      OpenAiJudge.Options o = new OpenAiJudge.Options(Duration.ofSeconds(2), Duration.ofSeconds(5), 0, Duration.ofMillis(5),
          Duration.ofMillis(5), 4, 5);
      List<Comparison> items = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) items.add(Comparison.of("q" + i, i % 2 == 0 ? "x" : "y", i % 2 == 0 ? "y" : "x"));
      List<Verdict> v = judge(s, o).compare(items);
      for (int i = 0; i < 12; i++) assertThat(v.get(i).probabilityA() > 0.5).as("item " + i).isEqualTo(i % 2 == 0);
    }
  }
}
