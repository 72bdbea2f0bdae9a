package org.rlhf4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.testkit.Shared;

/** serve-model spoken to by the official OpenAI Java SDK (com.openai:openai-java), on llama2.c's stories260K. */
class OpenAiClientTest {
  static ModelServer server;
  static OpenAIClient client;
  static String base;

  @BeforeAll static void start() {
    Path dir = Shared.require("fixtures/stories260K");
    // a wide batch window so that concurrent requests reliably meet in one batch
    ServingConfig cfg = ServingConfig.defaults(0).withBatching(8, Duration.ofMillis(400)).withLimits(64, 64, 256, 1 << 16);
    server = ModelServer.start(ServedModel.load(dir, "stories"), cfg);
    base = "http://127.0.0.1:" + server.port();
    client = OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey("unused").maxRetries(0).build();
  }

  @AfterAll static void stop() {
    if (server != null) server.close();
  }

  static ChatCompletionCreateParams.Builder chat(String text) {
    return ChatCompletionCreateParams.builder().model("stories").addUserMessage(text).maxCompletionTokens(12);
  }

  @Test void chatCompletionParsesWithTheOfficialClient() {
    ChatCompletion c = client.chat().completions().create(chat("Once upon a time").temperature(0.0).build());
    assertThat(c.id()).startsWith("chatcmpl-");
    assertThat(c.model()).isEqualTo("stories");
    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).message().content()).get().asString().isNotEmpty();
    assertThat(c.choices().get(0).finishReason()).isIn(ChatCompletion.Choice.FinishReason.STOP, ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(c.usage()).get().satisfies(u -> {
      assertThat(u.promptTokens()).isPositive();
      assertThat(u.completionTokens()).isBetween(1L, 12L);
      assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
    });
  }

  @Test void streamingChunksConcatenateToTheWholeAnswer() {
    ChatCompletion whole = client.chat().completions().create(chat("The little dog").temperature(0.0).build());
    StringBuilder streamed = new StringBuilder();
    List<String> ids = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("The little dog").temperature(0.0).build())) {
      s.stream().forEach(ch -> {
        ids.add(ch.id());
        for (ChatCompletionChunk.Choice choice : ch.choices()) {
          choice.delta().content().ifPresent(streamed::append);
          choice.finishReason().ifPresent(r -> reasons.add(r.asString()));
        }
      });
    }
    assertThat(ids.size()).isGreaterThan(2);
    assertThat(ids).allMatch(ids.get(0)::equals); // one id per completion
    assertThat(reasons).hasSize(1);
    assertThat(streamed.toString()).isEqualTo(whole.choices().get(0).message().content().orElseThrow());
  }

  @Test void completionsWithLogprobsStopAndSeed() {
    Completion greedy = client.completions().create(CompletionCreateParams.builder().model("stories")
        .prompt("Once upon a time").maxTokens(10).temperature(0.0).logprobs(2L).build());
    String text = greedy.choices().get(0).text();
    assertThat(greedy.id()).startsWith("cmpl-");
    var lp = greedy.choices().get(0).logprobs().orElseThrow();
    assertThat(lp.tokens().orElseThrow()).hasSize((int) greedy.usage().orElseThrow().completionTokens());
    assertThat(lp.tokenLogprobs().orElseThrow()).allMatch(x -> x <= 0);
    // a stop string cuts the text before it
    String stop = text.substring(text.length() / 2, text.length() / 2 + 2);
    Completion cut = client.completions().create(CompletionCreateParams.builder().model("stories")
        .prompt("Once upon a time").maxTokens(10).temperature(0.0).stop(stop).build());
    assertThat(cut.choices().get(0).text()).isEqualTo(text.substring(0, text.indexOf(stop)));
    assertThat(cut.choices().get(0).finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.STOP);
    // the same seed samples the same text
    CompletionCreateParams seeded = CompletionCreateParams.builder().model("stories").prompt("The cat").maxTokens(10)
        .temperature(1.0).topP(0.9).seed(42L).build();
    assertThat(client.completions().create(seeded).choices().get(0).text())
        .isEqualTo(client.completions().create(seeded).choices().get(0).text());
  }

  @Test void chatLogprobsAndModels() {
    ChatCompletion c = client.chat().completions().create(chat("Lily").temperature(0.0).logprobs(true).topLogprobs(3L).build());
    List<ChatCompletionTokenLogprob> content = c.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
    assertThat(content).isNotEmpty();
    assertThat(content.get(0).topLogprobs()).hasSize(3);
    assertThat(content.get(0).logprob()).isEqualTo(content.get(0).topLogprobs().get(0).logprob()); // greedy picks the top
    assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("stories");
  }

  @Test void concurrentRequestsAreBatched() throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ChatCompletion>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt = "Story number " + i;
      futures.add(pool.submit(() -> {
        go.await();
        return client.chat().completions().create(chat(prompt).temperature(0.7).seed(7L).build());
      }));
    }
    go.countDown();
    for (Future<ChatCompletion> f : futures) assertThat(f.get().choices()).hasSize(1);
    pool.shutdown();
    assertThat(server.largestBatch()).as("batch size seen by the generator").isGreaterThan(1);
    assertThat(server.scrape()).contains("rlhf4j_batch_size", "rlhf4j_queue_depth", "rlhf4j_generated_tokens_total",
        "rlhf4j_http_requests_seconds_bucket");
  }

  @Test void badRequestsAreClear4xx() throws Exception {
    assertThatThrownBy(() -> client.chat().completions().create(chat("x").temperature(3.0).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
    assertThatThrownBy(() -> client.chat().completions().create(chat("x").maxCompletionTokens(100_000).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("max_completion_tokens");
    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("x").build())).isInstanceOf(NotFoundException.class).hasMessageContaining("gpt-4o");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"invalid_request_error\"", "not valid JSON");
    HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stories\",\"prompt\":\"" + "a".repeat(70_000) + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"ok\"", "\"version\"");
  }

  @Test void continueFinalMessageIsCheckedAndContinuesTheAssistantTurn() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"Tell a story.\"},{\"role\":\"assistant\",\"content\":\"Once upon a\"}]";
    java.util.function.Function<String, HttpResponse<String>> post = body -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"stories\",\"max_tokens\":1,\"temperature\":0," + body + "}")).build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    HttpResponse<String> ok = post.apply(msgs + ",\"continue_final_message\":true,\"logprobs\":true,\"top_logprobs\":5");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).contains("\"top_logprobs\"");
    HttpResponse<String> both = post.apply(msgs + ",\"continue_final_message\":true,\"add_generation_prompt\":true");
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(both.body()).contains("continue_final_message and add_generation_prompt cannot both be true");
    HttpResponse<String> user = post.apply("\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"continue_final_message\":true");
    assertThat(user.statusCode()).isEqualTo(400);
    assertThat(user.body()).contains("needs the last message to be the assistant's", "got role 'user'");
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/completions")).POST(HttpRequest.BodyPublishers.ofString(
        "{\"model\":\"stories\",\"prompt\":\"x\",\"continue_final_message\":true}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("applies to /v1/chat/completions only");
  }
}
