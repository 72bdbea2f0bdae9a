package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared JSON-over-HTTP client: session login with its CSRF token, bearer tokens, failures that name the URL. */
class ServiceClientTest {
  Javalin app;
  String base;

  @BeforeEach void start() {
    app = Javalin.create().post("/api/login", ctx -> {
      var body = ctx.bodyAsClass(Map.class);
      if (!"pw".equals(body.get("password"))) { ctx.status(401).result("bad password"); return; }
      ctx.cookie("session", "s1").json(Map.of("csrfToken", "c1"));
    }).post("/api/echo", ctx -> ctx.json(Map.of("cookie", String.valueOf(ctx.cookie("session")),
        "csrf", String.valueOf(ctx.header("X-CSRF-Token")), "auth", String.valueOf(ctx.header("Authorization")), "body", ctx.body())))
        .get("/api/text", ctx -> ctx.result("a\nb\n")).start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port() + "/";
  }

  @AfterEach void stop() { app.stop(); }

  @Test void aLoginSendsItsCookieAndCsrfTokenWithLaterPosts() {
    var echo = ServiceClient.of(base).login("admin", "pw").post("/api/echo", Map.of("x", 1));
    assertThat(echo.get("cookie").asText()).isEqualTo("s1");
    assertThat(echo.get("csrf").asText()).isEqualTo("c1");
    assertThat(echo.get("auth").asText()).isEqualTo("null");
    assertThat(echo.get("body").asText()).isEqualTo("{\"x\":1}");
    assertThat(ServiceClient.of(base).text("/api/text")).isEqualTo("a\nb\n");
  }

  @Test void aBearerTokenGoesWithEveryRequest() {
    var echo = ServiceClient.of(base).withBearer("t0k").post("/api/echo", Map.of());
    assertThat(echo.get("auth").asText()).isEqualTo("Bearer t0k");
    assertThat(echo.get("cookie").asText()).isEqualTo("null");
  }

  @Test void failuresNameTheUrlAndTheAnswer() {
    assertThatThrownBy(() -> ServiceClient.of(base).login("admin", "nope"))
        .isInstanceOfSatisfying(ServiceClient.Failure.class, f -> assertThat(f.status()).isEqualTo(401))
        .hasMessageContaining(app.port() + "/api/login answered 401: bad password");
    assertThatThrownBy(() -> ServiceClient.of(base).json("/api/text")).hasMessageContaining("/api/text did not answer JSON");
    assertThatThrownBy(() -> ServiceClient.of("http://127.0.0.1:1").text("/x"))
        .isInstanceOfSatisfying(ServiceClient.Failure.class, f -> assertThat(f.status()).isZero())
        .hasMessageContaining("cannot reach http://127.0.0.1:1/x");
    assertThatThrownBy(() -> ServiceClient.of("ftp://x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
  }
}
