package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.ChatTemplate;

/** The two completion endpoints: validate, tokenise, queue for the batcher, answer whole or as server-sent events. */
final class CompletionRoutes {
  private static final SecureRandom IDS = new SecureRandom();
  private static final String IM_END = "<|im_end|>";
  private final Router router;
  private final ServingConfig cfg;
  private final FeedbackLog log;
  private final io.micrometer.core.instrument.MeterRegistry registry;

  CompletionRoutes(Router router, ServingConfig cfg, FeedbackLog log, io.micrometer.core.instrument.MeterRegistry registry) {
    this.router = router;
    this.cfg = cfg;
    this.log = log;
    this.registry = registry;
  }

  void handle(Context ctx, boolean chat) throws IOException, InterruptedException {
    JsonNode body = ModelServer.JSON.readTree(ctx.body());
    CompletionRequest req = CompletionRequest.parse(body, chat, cfg);
    Router.Deployment d = router.route(req.model(), req.user() != null ? req.user() : ctx.header("X-User-Id"));
    ServedModel model = d.model();
    Batcher batcher = d.batcher();
    registry.counter("rlhf4j_requests_by_version", "model", d.id(), "version", model.version()).increment();
    List<String> stop = new ArrayList<>(req.stop());
    String text = chat ? render(model, req, stop) : req.prompt();
    boolean addSpecial = !chat || !text.startsWith(model.tokenizer().bosToken().orElse("\u0000"));
    long[] ids = java.util.Arrays.stream(model.tokenizer().encode(text, addSpecial)).asLongStream().toArray();
    if (ids.length == 0) ids = new long[] {model.tokenizer().bosId().orElse(model.tokenizer().padId())};
    String param = chat ? "messages" : "prompt";
    if (ids.length > cfg.maxPromptTokens()) {
      throw new ApiError(400, "the prompt has " + ids.length + " tokens; this server takes at most " + cfg.maxPromptTokens(),
          "invalid_request_error", param, "context_length_exceeded");
    }
    if (ids.length + req.maxTokens() > model.contextLength()) {
      throw new ApiError(400, "this model's maximum context length is " + model.contextLength() + " tokens; the prompt has "
          + ids.length + " and max_tokens asks for " + req.maxTokens(), "invalid_request_error", param, "context_length_exceeded");
    }
    long seed = req.seed() != null ? req.seed() : IDS.nextLong();
    SamplingConfig sampling = req.temperature() == 0 ? SamplingConfig.greedy(req.maxTokens(), model.tokenizer().stopIds())
        : SamplingConfig.sample(req.maxTokens(), req.temperature(), 0, req.topP(), seed, model.tokenizer().stopIds());
    Events events = new Events();
    if (!batcher.offer(new Job(ids, sampling, stop, req.logprobs(), events))) {
      throw new ApiError(429, "the server is at capacity (" + cfg.maxQueue() + " requests waiting); retry later", "requests",
          null, "rate_limit_exceeded");
    }
    String id = (chat ? "chatcmpl-" : "cmpl-") + HexFormat.of().formatHex(randomBytes());
    long created = System.currentTimeMillis() / 1000;
    ctx.header("X-Request-Id", id);
    Reply reply = new Reply(id, created, d.id(), model.version(), chat, req.logprobs());
    Job.Finish finish = req.stream() ? stream(ctx, events, reply, req.includeUsage()) : whole(ctx, events, reply);
    if (finish != null && log != null) log.record(id, chat ? ModelServer.JSON.valueToTree(req.messages()) : null, text, finish.text(),
        d.id(), model.version(), req.user());
  }

  private static String render(ServedModel model, CompletionRequest req, List<String> stop) {
    ChatTemplate t = model.tokenizer().chatTemplate().orElse(null);
    if (t == null) {
      t = ChatTemplate.chatMl();
      stop.add(IM_END);
    }
    try {
      return req.ending().render(t, req.messages());
    } catch (RuntimeException e) {
      throw ApiError.invalid("messages", "the model's chat template refused the messages: " + e.getMessage());
    }
  }

  private Job.Finish whole(Context ctx, Events events, Reply reply) throws InterruptedException {
    StringBuilder text = new StringBuilder();
    List<Job.TokenInfo> tokens = new ArrayList<>();
    while (true) {
      Object e = events.take();
      if (e instanceof Job.Delta d) {
        text.append(d.text());
        tokens.addAll(d.tokens());
      } else if (e instanceof Job.Finish f) {
        ctx.json(reply.whole(f, tokens));
        return f;
      } else throw failure((RuntimeException) e);
    }
  }

  private Job.Finish stream(Context ctx, Events events, Reply reply, boolean usage) throws IOException, InterruptedException {
    ctx.res().setStatus(200);
    ctx.res().setContentType("text/event-stream; charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    OutputStream out = ctx.res().getOutputStream();
    try {
      if (reply.chat()) send(out, reply.chunk(roleDelta(), null, List.of()));
      while (true) {
        Object e = events.take();
        if (e instanceof Job.Delta d) send(out, reply.chunk(reply.chat() ? contentDelta(d.text()) : null, d.text(), d.tokens()));
        else if (e instanceof Job.Finish f) {
          send(out, reply.last(f));
          if (usage) send(out, reply.usage(f));
          out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          return f;
        } else {
          RuntimeException ex = (RuntimeException) e;
          send(out, ModelServer.error("generation failed: " + ex.getMessage(), "server_error", null, null));
          return null;
        }
      }
    } catch (IOException gone) {
      events.cancel(); // the client went away: its row stops at the next token
      return null;
    }
  }

  private static ObjectNode roleDelta() { return ModelServer.JSON.createObjectNode().put("role", "assistant").put("content", ""); }

  private static ObjectNode contentDelta(String text) { return ModelServer.JSON.createObjectNode().put("content", text); }

  private static void send(OutputStream out, JsonNode chunk) throws IOException {
    out.write(("data: " + ModelServer.JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ApiError failure(RuntimeException e) {
    return new ApiError(500, "generation failed: " + e.getMessage(), "server_error", null, null);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    IDS.nextBytes(b);
    return b;
  }

  /** A job's output as a queue the HTTP thread reads: deltas, then a finish or a failure. */
  static final class Events implements Job.Sink {
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;

    @Override public void delta(Job.Delta d) { queue.add(d); }

    @Override public void done(Job.Finish f) { queue.add(f); }

    @Override public void failed(RuntimeException e) { queue.add(e); }

    @Override public boolean cancelled() { return cancelled; }

    void cancel() { cancelled = true; }

    Object take() throws InterruptedException {
      Object e = queue.poll(10, TimeUnit.MINUTES);
      if (e == null) throw new IllegalStateException("no output for 10 minutes");
      return e;
    }
  }
}
