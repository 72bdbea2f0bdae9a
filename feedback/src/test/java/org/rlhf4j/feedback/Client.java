package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A test HTTP client for one user: keeps the session cookie and CSRF token, or sends an API token. */
final class Client {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  record Resp(int status, String body, java.net.http.HttpHeaders headers) {
    Resp(int status, String body) { this(status, body, java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true)); }

    String header(String name) { return headers.firstValue(name).orElse(null); }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  final String base;
  String cookie;
  String csrf;
  String bearer;

  Client(String base) { this.base = base; }

  static Client login(String base, String user, String password) {
    Client c = new Client(base);
    Resp r = c.post("/api/login", Map.of("username", user, "password", password));
    if (r.status() != 200) throw new AssertionError("login " + user + " failed: " + r);
    c.csrf = r.json().get("csrfToken").asText();
    return c;
  }

  Resp get(String path) { return send(HttpRequest.newBuilder(URI.create(base + path)).GET()); }

  Resp delete(String path) { return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE()); }

  Resp post(String path, Object body) {
    try {
      String s = body instanceof String str ? str : JSON.writeValueAsString(body);
      return raw(path, "application/json", s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  Resp raw(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Resp send(HttpRequest.Builder b) {
    b.timeout(Duration.ofSeconds(60));
    if (cookie != null) b.header("Cookie", Auth.COOKIE + "=" + cookie);
    if (csrf != null) b.header(Auth.CSRF_HEADER, csrf);
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(Auth.COOKIE + "=")).findFirst()
          .ifPresent(h -> cookie = h.substring(Auth.COOKIE.length() + 1, h.indexOf(';') < 0 ? h.length() : h.indexOf(';')));
      return new Resp(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts the status and returns the JSON body. */
  JsonNode ok(Resp r, int status) {
    if (r.status() != status) throw new AssertionError("expected HTTP " + status + " but got " + r.status() + ": " + r.body());
    return r.body().isEmpty() ? null : r.json();
  }
}
