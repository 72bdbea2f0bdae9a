package org.rlhf4j.demo.flywheel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP for the simulated users and the flywheel: one client per role (cookie session or bearer token). */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private String bearer, csrf;

  Http(URI base) { this.base = base; }

  Http bearer(String token) { this.bearer = token; return this; }

  /** Logs in (session cookie + CSRF token for later posts). */
  Http login(String user, String password) {
    csrf = post("/api/login", JSON.createObjectNode().put("username", user).put("password", password)).get("csrfToken").asText();
    return this;
  }

  JsonNode post(String path, Object body) {
    try {
      HttpRequest.Builder r = request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      return JSON.readTree(send(r, path));
    } catch (IOException e) {
      throw new IllegalStateException(path + ": " + e.getMessage(), e);
    }
  }

  String get(String path) { return send(request(path).GET(), path); }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
    if (bearer != null) r.header("Authorization", "Bearer " + bearer);
    if (csrf != null) r.header("X-CSRF-Token", csrf);
    return r;
  }

  private String send(HttpRequest.Builder r, String path) {
    try {
      HttpResponse<String> resp = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() / 100 != 2) throw new IllegalStateException(base.resolve(path) + " answered " + resp.statusCode() + ": " + resp.body());
      return resp.body();
    } catch (IOException e) {
      throw new IllegalStateException(base.resolve(path) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
