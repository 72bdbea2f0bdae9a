package org.rlhf4j.serving;

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
 * JSON over HTTP to rlhf4j's services — the feedback service ({@code rlhf4j serve}) and serve-model — as one
 * caller: a cookie session after {@link #login} (its CSRF token goes with later posts) or an API token
 * ({@link #withBearer}). Every failure is a {@link Failure} naming the URL and what it answered.
 */
public final class ServiceClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
  private final String base, bearer;
  private volatile String csrf;

  /** A request that failed: {@code status} is the HTTP status, or 0 when the service could not be reached. */
  public static final class Failure extends RuntimeException {
    private final int status;

    Failure(String message, int status, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    public int status() { return status; }
  }

  private ServiceClient(String base, String bearer) {
    this.base = base;
    this.bearer = bearer;
  }

  /** A client of the service at {@code base} (an http(s) URL; trailing slashes dropped). */
  public static ServiceClient of(String base) {
    if (base == null || !(base.startsWith("http://") || base.startsWith("https://"))) {
      throw new IllegalArgumentException("must be an http(s) URL, got '" + base + "'");
    }
    return new ServiceClient(base.replaceAll("/+$", ""), null);
  }

  public static ServiceClient of(URI base) { return of(base.toString()); }

  /** The same service with an API token ({@code Authorization: Bearer}) on every request; a new session. */
  public ServiceClient withBearer(String token) {
    if (token == null || token.isBlank()) throw new IllegalArgumentException("ServiceClient: token is required");
    return new ServiceClient(base, token);
  }

  /** Logs in ({@code POST /api/login}: a session cookie, and the CSRF token later posts send). */
  public ServiceClient login(String user, String password) {
    JsonNode r = post("/api/login", Map.of("username", user, "password", password));
    csrf = r.path("csrfToken").isTextual() ? r.get("csrfToken").asText() : null;
    return this;
  }

  public String base() { return base; }

  /** POSTs {@code body} as JSON to {@code path} (from the service root); the answer as JSON. */
  public JsonNode post(String path, Object body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("ServiceClient: body for " + path + " is not JSON-serialisable: " + e.getMessage(), e);
    }
    return parse(path, send(path, request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))));
  }

  /** GETs {@code path}; the body as text (JSONL exports, metrics). */
  public String text(String path) { return send(path, request(path).GET()); }

  /** GETs {@code path}; the body as JSON. */
  public JsonNode json(String path) { return parse(path, text(path)); }

  private JsonNode parse(String path, String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new Failure(base + path + " did not answer JSON: " + e.getMessage(), 200, e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
    if (bearer != null) r.header("Authorization", "Bearer " + bearer);
    if (csrf != null) r.header("X-CSRF-Token", csrf);
    return r;
  }

  private String send(String path, HttpRequest.Builder req) {
    HttpResponse<String> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach " + base + path + " (" + e + ")", 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(base + path + ": interrupted", 0, e);
    }
    if (r.statusCode() / 100 != 2) {
      String body = r.body() == null ? "" : r.body().strip();
      throw new Failure(base + path + " answered " + r.statusCode() + (body.isEmpty() ? "" : ": " + abbreviate(body)), r.statusCode(), null);
    }
    return r.body();
  }

  private static String abbreviate(String s) { return s.length() > 300 ? s.substring(0, 300) + "…" : s; }
}
