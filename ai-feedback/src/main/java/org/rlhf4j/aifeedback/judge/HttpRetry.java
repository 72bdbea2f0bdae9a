package org.rlhf4j.aifeedback.judge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;

/**
 * POSTs JSON with timeouts and retries: connection failures, timeouts and HTTP 429/500/502/503/504 are retried
 * with exponential backoff (doubling from {@code initialBackoff}, capped at {@code maxBackoff}; a 429's
 * {@code Retry-After} in seconds is honoured up to the cap); any other non-2xx status fails at once.
 */
final class HttpRetry {
  /** Statuses worth another try: rate limited, or the server failed in a way that may pass. */
  static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
  private static final int EXCERPT = 300;

  /**
   * @param requestTimeout the whole request, from sending to the last byte of the reply
   * @param maxRetries     retries after the first attempt (0 = one attempt)
   */
  record Options(Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration initialBackoff, Duration maxBackoff) {
    Options {
      if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
      for (Duration d : new Duration[] {connectTimeout, requestTimeout, initialBackoff, maxBackoff}) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException("timeouts and backoffs must be >= 0");
      }
    }
  }

  private final HttpClient client;
  private final Options opts;

  HttpRetry(Options opts) {
    this.opts = opts;
    this.client = HttpClient.newBuilder().connectTimeout(opts.connectTimeout()).build();
  }

  /** The body of the first 2xx reply; a {@link JudgeException} naming the URL and the last failure otherwise. */
  String post(URI url, String body, String apiKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(opts.requestTimeout())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null && !apiKey.isEmpty()) b.header("Authorization", "Bearer " + apiKey);
    HttpRequest request = b.build();
    String last = "";
    for (int attempt = 0; attempt <= opts.maxRetries(); attempt++) {
      Duration wait = backoff(attempt);
      try {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) return r.body();
        last = "HTTP " + r.statusCode() + ": " + excerpt(r.body());
        if (!RETRIED.contains(r.statusCode())) throw new JudgeException("POST " + url + " failed: " + last);
        wait = retryAfter(r).map(s -> min(s, opts.maxBackoff())).orElse(wait);
      } catch (HttpTimeoutException e) {
        last = "timed out after " + opts.requestTimeout().toMillis() + " ms";
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JudgeException("POST " + url + " interrupted", e);
      }
      if (attempt < opts.maxRetries()) sleep(wait);
    }
    throw new JudgeException("POST " + url + " gave up after " + (opts.maxRetries() + 1) + " attempts; last: " + last);
  }

  /** Backoff before retry {@code attempt + 1}: initial * 2^attempt, capped. */
  Duration backoff(int attempt) {
    long ms = opts.initialBackoff().toMillis() << Math.min(attempt, 20);
    return min(Duration.ofMillis(ms), opts.maxBackoff());
  }

  private static java.util.Optional<Duration> retryAfter(HttpResponse<String> r) {
    return r.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
      } catch (NumberFormatException e) {
        return java.util.Optional.empty(); // an HTTP date: fall back to our own backoff
      }
    });
  }

  private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JudgeException("interrupted while backing off", e);
    }
  }

  static String excerpt(String s) {
    if (s == null) return "";
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= EXCERPT ? one : one.substring(0, EXCERPT) + "...";
  }
}
