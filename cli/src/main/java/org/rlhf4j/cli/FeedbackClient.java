package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The feedback service ({@code rlhf4j serve}) as an admin sees it: logs in with a user name and password (a session
 * cookie) and reads its JSON and JSONL endpoints. Errors say which URL answered what.
 */
final class FeedbackClient {
  static final String USER_ENV = "RLHF4J_FEEDBACK_USER", PASSWORD_ENV = "RLHF4J_FEEDBACK_PASSWORD";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String base;

  private FeedbackClient(String base) {
    this.base = base.replaceAll("/+$", "");
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Logs in as the user in {@link #USER_ENV} (default admin) with the password in the first line of
   * {@code passwordFile} when one is given (a mounted secret), else in {@link #PASSWORD_ENV}.
   */
  static FeedbackClient connect(String base, java.nio.file.Path passwordFile, String flag) {
    String password;
    if (passwordFile != null) {
      try {
        password = java.nio.file.Files.readAllLines(passwordFile).stream().findFirst().orElse("").strip();
      } catch (IOException e) {
        throw new UserError("--password-file " + passwordFile + ": cannot read it (" + e.getMessage() + ")");
      }
      if (password.isEmpty()) throw new UserError("--password-file " + passwordFile + " is empty");
    } else {
      password = System.getenv(PASSWORD_ENV);
      if (password == null || password.isEmpty()) {
        throw new UserError(flag + ": set " + PASSWORD_ENV + " (or --password-file) to the password of the feedback service's admin "
            + System.getenv().getOrDefault(USER_ENV, "admin") + " (" + USER_ENV + ")");
      }
    }
    return login(base, System.getenv().getOrDefault(USER_ENV, "admin"), password, flag);
  }

  static FeedbackClient login(String base, String user, String password, String flag) {
    if (!base.startsWith("http://") && !base.startsWith("https://")) throw new UserError(flag + " must be an http(s) URL, got '" + base + "'");
    FeedbackClient c = new FeedbackClient(base);
    try {
      String body = JSON.writeValueAsString(Map.of("username", user, "password", password));
      c.send(HttpRequest.newBuilder(URI.create(c.base + "/api/login")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)), flag);
    } catch (IOException e) {
      throw new UserError(flag + ": cannot log in to " + c.base + ": " + e.getMessage());
    }
    return c;
  }

  /** GET {@code path} (from the service root); the body as text. */
  String text(String path, String flag) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), flag);
  }

  JsonNode json(String path, String flag) {
    try {
      return JSON.readTree(text(path, flag));
    } catch (IOException e) {
      throw new UserError(flag + ": " + base + path + " did not answer JSON: " + e.getMessage());
    }
  }

  private String send(HttpRequest.Builder req, String flag) {
    HttpResponse<String> r;
    try {
      r = http.send(req.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UserError(flag + ": cannot reach " + base + " (" + e.getMessage() + "); is rlhf4j serve running there?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(flag + ": interrupted");
    }
    if (r.statusCode() / 100 != 2) {
      String body = r.body() == null ? "" : r.body().strip();
      throw new UserError(flag + ": " + r.request().uri() + " answered " + r.statusCode() + (body.isEmpty() ? "" : ": " + abbreviate(body)));
    }
    return r.body();
  }

  private static String abbreviate(String s) { return s.length() > 300 ? s.substring(0, 300) + "…" : s; }
}
