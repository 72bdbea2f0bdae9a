package org.rlhf4j.aifeedback.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A judge served over HTTP by anything that speaks OpenAI's {@code /v1/chat/completions} with {@code logprobs}
 * (vLLM, llama.cpp server, Ollama, OpenAI itself). Each comparison is one request for a single token at
 * temperature 0 with {@code top_logprobs}; P(A) = p(A) / (p(A) + p(B)) where p(X) sums the listed tokens that
 * read as option X once stripped of spaces ("A", " A"). An option missing from the list is given the smallest listed
 * probability (an upper bound); a reply listing neither option is an error. OpenAI's API cannot pre-fill the
 * assistant's turn, so by default the template's answer prefix is not sent and the template should ask for the bare
 * letter; with {@link Options#prefill} the prefix is sent as the start of the assistant's turn the server continues
 * (vLLM's and rlhf4j serve-model's {@code continue_final_message}), which reads the option exactly where an
 * {@link LmJudge} over the same model reads it.
 */
public final class OpenAiJudge implements Judge {
  public static final String BASE_URL_ENV = "OPENAI_BASE_URL";
  public static final String API_KEY_ENV = "OPENAI_API_KEY";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where and what to ask: {@code baseUrl} as the OpenAI SDKs take it ("http://localhost:8000/v1"). */
  public record Endpoint(URI baseUrl, String apiKey, String model) {
    public Endpoint {
      if (baseUrl == null) throw new IllegalArgumentException("the judge server's base URL is required (" + BASE_URL_ENV + ")");
      if (model == null || model.isBlank()) throw new IllegalArgumentException("the served judge model's name is required");
    }

    /** Base URL from {@value #BASE_URL_ENV}, key (optional: local servers need none) from {@value #API_KEY_ENV}. */
    public static Endpoint fromEnvironment(Map<String, String> env, String model) {
      String base = env.get(BASE_URL_ENV);
      if (base == null || base.isBlank()) {
        throw new IllegalArgumentException("set " + BASE_URL_ENV + " to the judge server (e.g. http://localhost:8000/v1 for vLLM)");
      }
      try {
        return new Endpoint(URI.create(base.strip()), env.get(API_KEY_ENV), model);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(BASE_URL_ENV + " is not a URL: '" + base + "'");
      }
    }

    /** base + "/chat/completions" ("/v1/chat/completions" when the base has no path). */
    URI chatCompletions() {
      String s = baseUrl.toString().replaceAll("/+$", "");
      String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
      return URI.create(path.isEmpty() ? s + "/v1/chat/completions" : s + "/chat/completions");
    }
  }

  /**
   * Timeouts, retries, parallel requests, how many top tokens to ask for (OpenAI allows up to 20), and whether the
   * template's answer prefix is sent as the start of the assistant's turn ({@code continue_final_message}).
   */
  public record Options(Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration initialBackoff,
      Duration maxBackoff, int concurrency, int topLogprobs, boolean prefill) {
    public Options {
      if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
      if (topLogprobs < 2 || topLogprobs > 20) throw new IllegalArgumentException("topLogprobs must be in [2, 20], got " + topLogprobs);
      new HttpRetry.Options(connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff); // validates
    }

    /** Without prefill. */
    public Options(Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration initialBackoff,
        Duration maxBackoff, int concurrency, int topLogprobs) {
      this(connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff, concurrency, topLogprobs, false);
    }

    public Options withPrefill(boolean p) {
      return new Options(connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff, concurrency, topLogprobs, p);
    }

    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 5, Duration.ofMillis(500), Duration.ofSeconds(30), 4, 20);
    }

    HttpRetry.Options http() { return new HttpRetry.Options(connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff); }
  }

  private final Endpoint endpoint;
  private final JudgeTemplate template;
  private final Options opts;
  private final HttpRetry http;

  public OpenAiJudge(Endpoint endpoint, JudgeTemplate template, Options opts) {
    if (opts.prefill() && template.answerPrefix().isBlank()) {
      throw new IllegalArgumentException("prefill needs a template with an answer prefix (" + template.source() + " has none)");
    }
    this.endpoint = endpoint;
    this.template = template;
    this.opts = opts;
    this.http = new HttpRetry(opts.http());
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    if (items.size() == 1 || opts.concurrency() == 1) return items.stream().map(this::ask).toList();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(opts.concurrency(), items.size()));
    try {
      List<Future<Verdict>> futures = new ArrayList<>();
      for (Comparison c : items) futures.add(pool.submit(() -> ask(c)));
      List<Verdict> out = new ArrayList<>(items.size());
      for (Future<Verdict> f : futures) out.add(f.get());
      return out;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new JudgeException(e.getCause().toString(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JudgeException("interrupted while waiting for " + endpoint.chatCompletions(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private Verdict ask(Comparison c) {
    String body = http.post(endpoint.chatCompletions(), request(c), endpoint.apiKey());
    return parse(body);
  }

  /** The request body: one user message (after the template's system message), one token, greedy, top logprobs. */
  String request(Comparison c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", endpoint.model());
    ArrayNode msgs = o.putArray("messages");
    if (template.system() != null) msgs.addObject().put("role", "system").put("content", template.system());
    msgs.addObject().put("role", "user").put("content", template.render(c));
    if (opts.prefill()) {
      // the chat template writes its own separator after the role, as after a generation prompt
      msgs.addObject().put("role", "assistant").put("content", template.answerPrefix().strip());
      o.put("continue_final_message", true);
      o.put("add_generation_prompt", false);
    }
    o.put("max_tokens", 1);
    o.put("temperature", 0);
    o.put("logprobs", true);
    o.put("top_logprobs", opts.topLogprobs());
    return o.toString();
  }

  /** P(A) from a chat completion's first-token top logprobs. */
  Verdict parse(String body) {
    URI url = endpoint.chatCompletions();
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new JudgeException(url + ": malformed reply (not JSON: " + e.getOriginalMessage() + "): " + HttpRetry.excerpt(body));
    }
    JsonNode top = root == null ? null : root.at("/choices/0/logprobs/content/0/top_logprobs");
    if (top == null || !top.isArray() || top.isEmpty()) {
      throw new JudgeException(url + ": malformed reply: no choices[0].logprobs.content[0].top_logprobs (does the server support "
          + "logprobs for chat completions?): " + HttpRetry.excerpt(body));
    }
    double[] lse = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double smallest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < top.size(); i++) {
      JsonNode t = top.get(i);
      if (!t.path("token").isTextual() || !t.path("logprob").isNumber()) {
        throw new JudgeException(url + ": malformed reply: top_logprobs[" + i + "] needs a string 'token' and a number 'logprob': " + t);
      }
      double lp = t.get("logprob").doubleValue();
      smallest = Math.min(smallest, lp);
      for (int k = 0; k < 2; k++) {
        if (t.get("token").textValue().strip().equals(template.options().get(k).strip())) lse[k] = logAdd(lse[k], lp);
      }
    }
    if (lse[0] == Double.NEGATIVE_INFINITY && lse[1] == Double.NEGATIVE_INFINITY) {
      throw new JudgeException(url + ": neither option " + template.options() + " is among the " + top.size()
          + " most likely first tokens; the model answered '" + HttpRetry.excerpt(root.at("/choices/0/message/content").asText("")) + "'");
    }
    for (int k = 0; k < 2; k++) if (lse[k] == Double.NEGATIVE_INFINITY) lse[k] = smallest;
    return new Verdict(Averaging.sigmoid(lse[0] - lse[1]), null, Math.min(1.0, Math.exp(lse[0]) + Math.exp(lse[1])));
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) return b;
    double m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }

  @Override public String name() { return "openai:" + endpoint.model() + "@" + endpoint.baseUrl(); }
}
