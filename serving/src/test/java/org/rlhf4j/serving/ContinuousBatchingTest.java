package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.completions.CompletionCreateParams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.testkit.Shared;

/**
 * Continuous batching on llama2.c's stories260K: requests that join a batch already decoding (at a token boundary)
 * come back with the greedy text they get alone, as with dynamic batching, where they wait for the batch instead.
 */
class ContinuousBatchingTest {
  static ServedModel model;
  static final String[] PROMPTS = {"Once upon a time", "The cat sat", "Lily", "Tom and his dog went to the park and"};
  static final int[] MAX_TOKENS = {40, 7, 23, 3};

  @BeforeAll static void load() { model = ServedModel.load(Shared.require("fixtures/stories260K"), "stories"); }

  /** A job whose output is collected; {@code onFirst} runs on the decoding thread at its first token. */
  static final class Collect implements Job.Sink {
    final CompletableFuture<String> text = new CompletableFuture<>();
    final Runnable onFirst;
    boolean first = true;

    Collect(Runnable onFirst) { this.onFirst = onFirst; }

    @Override public void delta(Job.Delta d) {
      if (first && onFirst != null) onFirst.run();
      first = false;
    }

    @Override public void done(Job.Finish f) { text.complete(f.text()); }

    @Override public void failed(RuntimeException e) { text.completeExceptionally(e); }
  }

  static Job job(int i, Job.Sink sink) {
    long[] ids = java.util.Arrays.stream(model.tokenizer().encode(PROMPTS[i], true)).asLongStream().toArray();
    return new Job(ids, SamplingConfig.greedy(MAX_TOKENS[i], Set.of()), List.of(), -1, sink); // no stop ids: every row runs its length
  }

  /** Job 0 alone, then (at its first token, so while it decodes) jobs 1..3 are queued; every text as alone. */
  static List<String> run(Batching mode, long[] joins) throws Exception {
    ServingConfig cfg = ServingConfig.defaults(0).withBatching(8, Duration.ZERO).withBatching(mode);
    try (Batcher b = new Batcher(model, "stories", cfg, new SimpleMeterRegistry())) {
      List<String> alone = new ArrayList<>();
      for (int i = 0; i < PROMPTS.length; i++) {
        Collect c = new Collect(null);
        assertThat(b.offer(job(i, c))).isTrue();
        alone.add(c.text.get(60, TimeUnit.SECONDS));
      }
      List<Collect> later = new ArrayList<>();
      for (int i = 1; i < PROMPTS.length; i++) later.add(new Collect(null));
      Collect longest = new Collect(() -> {
        for (int i = 1; i < PROMPTS.length; i++) assertThat(b.offer(job(i, later.get(i - 1)))).isTrue();
      });
      assertThat(b.offer(job(0, longest))).isTrue();
      assertThat(longest.text.get(60, TimeUnit.SECONDS)).as(mode + ": the longest row").isEqualTo(alone.get(0));
      for (int i = 1; i < PROMPTS.length; i++) {
        assertThat(later.get(i - 1).text.get(60, TimeUnit.SECONDS)).as(mode + ": row " + i).isEqualTo(alone.get(i));
      }
      joins[0] = b.joinedRunning();
      joins[1] = b.largestBatch();
      return alone;
    }
  }

  @Test void requestsJoinTheRunningBatchAndDecodeWhatTheyDecodeAlone() throws Exception {
    long[] continuous = new long[2], dynamic = new long[2];
    List<String> c = run(Batching.CONTINUOUS, continuous);
    assertThat(continuous[0]).as("requests that joined a batch already decoding").isEqualTo(PROMPTS.length - 1);
    assertThat(continuous[1]).as("rows decoding together").isEqualTo(PROMPTS.length);
    List<String> d = run(Batching.DYNAMIC, dynamic);
    assertThat(dynamic[0]).as("dynamic batching: nobody joins a running batch").isZero();
    assertThat(dynamic[1]).as("the waiting three decode together after the first").isEqualTo(PROMPTS.length - 1);
    assertThat(d).isEqualTo(c);
    assertThat(c).doesNotHaveDuplicates();
  }

  @Test void concurrentHttpRequestsOfDifferentLengthsGetTheirAloneText() throws Exception {
    ServingConfig cfg = ServingConfig.defaults(0).withBatching(8, Duration.ZERO).withBatching(Batching.CONTINUOUS);
    try (ModelServer s = ModelServer.start(model, cfg)) {
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + s.port() + "/v1").apiKey("x").maxRetries(0).build();
      List<String> alone = new ArrayList<>();
      for (int i = 0; i < PROMPTS.length; i++) alone.add(complete(client, i));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> futures = new ArrayList<>();
        for (int rep = 0; rep < 2; rep++) for (int i = 0; i < PROMPTS.length; i++) { int k = i; futures.add(pool.submit(() -> complete(client, k))); }
        for (int f = 0; f < futures.size(); f++) {
          assertThat(futures.get(f).get(120, TimeUnit.SECONDS)).as("request " + f).isEqualTo(alone.get(f % PROMPTS.length));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  static String complete(OpenAIClient client, int i) {
    return client.completions().create(CompletionCreateParams.builder().model("stories").prompt(PROMPTS[i]).maxTokens(MAX_TOKENS[i])
        .temperature(0.0).build()).choices().get(0).text();
  }
}
