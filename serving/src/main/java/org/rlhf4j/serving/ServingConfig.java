package org.rlhf4j.serving;

import java.net.URI;
import java.time.Duration;

/**
 * serve-model settings.
 *
 * @param host             interface to bind
 * @param port             TCP port (0 = any free one)
 * @param maxBatch         requests decoded together at most
 * @param batchWindow      how long the first waiting request waits for others to join its batch
 * @param batching         whether requests also join a running batch (continuous) or wait for it (dynamic)
 * @param maxQueue         requests waiting at most; more get 429
 * @param maxTokens        the largest max_tokens a request may ask for (and the default when it asks none: 256 or this)
 * @param maxPromptTokens  prompt tokens at most (also bounded by the model's context length)
 * @param maxBodyBytes     request body size limit (413 above)
 * @param feedbackUrl      the feedback service's base URL to log (prompt, response, model version) to, or null
 * @param feedbackToken    its API token (Authorization: Bearer), with {@code feedbackUrl}
 */
public record ServingConfig(String host, int port, int maxBatch, Duration batchWindow, Batching batching, int maxQueue, int maxTokens,
    int maxPromptTokens, long maxBodyBytes, URI feedbackUrl, String feedbackToken) {
  public ServingConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("ServingConfig: host is required");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("ServingConfig: port must be in 0..65535, got " + port);
    if (maxBatch < 1) throw new IllegalArgumentException("ServingConfig: maxBatch must be >= 1, got " + maxBatch);
    if (batchWindow == null || batchWindow.isNegative()) throw new IllegalArgumentException("ServingConfig: batchWindow must be >= 0");
    if (batching == null) throw new IllegalArgumentException("ServingConfig: batching is required");
    if (maxQueue < 1) throw new IllegalArgumentException("ServingConfig: maxQueue must be >= 1, got " + maxQueue);
    if (maxTokens < 1) throw new IllegalArgumentException("ServingConfig: maxTokens must be >= 1, got " + maxTokens);
    if (maxPromptTokens < 1) throw new IllegalArgumentException("ServingConfig: maxPromptTokens must be >= 1, got " + maxPromptTokens);
    if (maxBodyBytes < 1024) throw new IllegalArgumentException("ServingConfig: maxBodyBytes must be >= 1024, got " + maxBodyBytes);
    if ((feedbackUrl == null) != (feedbackToken == null)) {
      throw new IllegalArgumentException("ServingConfig: feedbackUrl and feedbackToken go together");
    }
  }

  /** Localhost, continuous batching of up to 32 rows (an idle decoder gathers for 5 ms), 256 waiting, max_tokens up to 512, 1 MiB bodies, no logging. */
  public static ServingConfig defaults(int port) {
    return new ServingConfig("127.0.0.1", port, 32, Duration.ofMillis(5), Batching.CONTINUOUS, 256, 512, 2048, 1 << 20, null, null);
  }

  public ServingConfig withBatching(int maxBatch, Duration window) {
    return new ServingConfig(host, port, maxBatch, window, batching, maxQueue, maxTokens, maxPromptTokens, maxBodyBytes, feedbackUrl, feedbackToken);
  }

  public ServingConfig withBatching(Batching mode) {
    return new ServingConfig(host, port, maxBatch, batchWindow, mode, maxQueue, maxTokens, maxPromptTokens, maxBodyBytes, feedbackUrl, feedbackToken);
  }

  public ServingConfig withLimits(int maxQueue, int maxTokens, int maxPromptTokens, long maxBodyBytes) {
    return new ServingConfig(host, port, maxBatch, batchWindow, batching, maxQueue, maxTokens, maxPromptTokens, maxBodyBytes, feedbackUrl, feedbackToken);
  }

  public ServingConfig withHost(String h) {
    return new ServingConfig(h, port, maxBatch, batchWindow, batching, maxQueue, maxTokens, maxPromptTokens, maxBodyBytes, feedbackUrl, feedbackToken);
  }

  public ServingConfig withFeedback(URI url, String token) {
    return new ServingConfig(host, port, maxBatch, batchWindow, batching, maxQueue, maxTokens, maxPromptTokens, maxBodyBytes, url, token);
  }
}
