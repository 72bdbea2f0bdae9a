package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * serve-model: an OpenAI-compatible HTTP API over one {@link ServedModel} ({@code /v1/chat/completions},
 * {@code /v1/completions} with server-sent-event streaming, {@code /v1/models}), {@code /health} and
 * Prometheus {@code /metrics} (Micrometer: requests and latency per route and status, generated tokens,
 * batch sizes, queue depth). Concurrent requests are decoded together by the {@link Batcher}.
 *
 * <pre>{@code
 * try (ModelServer s = ModelServer.start(ServedModel.load(dir, null), ServingConfig.defaults(8000))) { ... }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final Javalin app;
  private final Batcher batcher;
  private final FeedbackLog log;
  private final PrometheusMeterRegistry registry;

  private ModelServer(Javalin app, Batcher batcher, FeedbackLog log, PrometheusMeterRegistry registry) {
    this.app = app;
    this.batcher = batcher;
    this.log = log;
    this.registry = registry;
  }

  public static ModelServer start(ServedModel model, ServingConfig cfg) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Batcher batcher = new Batcher(model, cfg, registry);
    FeedbackLog log = cfg.feedbackUrl() == null ? null : new FeedbackLog(cfg.feedbackUrl(), cfg.feedbackToken(), registry);
    CompletionRoutes routes = new CompletionRoutes(model, cfg, batcher, log);
    Javalin app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.http.maxRequestSize = cfg.maxBodyBytes();
      c.useVirtualThreads = false;
    });
    app.before(ctx -> ctx.attribute("t0", System.nanoTime()));
    app.after(ctx -> {
      Long t0 = ctx.attribute("t0");
      String route = ctx.endpointHandlerPath();
      if (t0 == null || !route.startsWith("/v1/")) return;
      Timer.builder("rlhf4j_http_requests").description("API requests by route and status")
          .tag("route", route).tag("status", String.valueOf(ctx.statusCode())).publishPercentileHistogram()
          .register(registry).record(Duration.ofNanos(System.nanoTime() - t0));
    });
    app.get("/health", ctx -> ctx.json(JSON.createObjectNode().put("status", "ok").put("model", model.name())
        .put("version", model.version())));
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    app.get("/v1/models", ctx -> ctx.json(models(model)));
    app.post("/v1/completions", ctx -> routes.handle(ctx, false));
    app.post("/v1/chat/completions", ctx -> routes.handle(ctx, true));
    app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).json(error(e.getMessage(), e.type, e.param, e.code)));
    app.exception(com.fasterxml.jackson.core.JsonProcessingException.class, (e, ctx) -> ctx.status(400)
        .json(error("the request body is not valid JSON: " + e.getOriginalMessage(), "invalid_request_error", null, null)));
    app.error(404, ctx -> {
      if (ctx.result() == null) ctx.json(error("no route " + ctx.method() + " " + ctx.path(), "invalid_request_error", null, "not_found"));
    });
    app.error(HttpStatus.CONTENT_TOO_LARGE.getCode(), ctx -> ctx.json(error("request body over " + cfg.maxBodyBytes()
        + " bytes", "invalid_request_error", null, "request_too_large")));
    app.start(cfg.host(), cfg.port());
    return new ModelServer(app, batcher, log, registry);
  }

  /** The bound port. */
  public int port() { return app.port(); }

  /** The largest batch the generator has decoded. */
  public int largestBatch() { return batcher.largestBatch(); }

  /** The Prometheus exposition text (what /metrics serves). */
  public String scrape() { return registry.scrape(); }

  static ObjectNode error(String message, String type, String param, String code) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode inner = e.putObject("error");
    inner.put("message", message).put("type", type).put("param", param).put("code", code);
    return e;
  }

  private static ObjectNode models(ServedModel m) {
    ObjectNode out = JSON.createObjectNode().put("object", "list");
    out.putArray("data").addObject().put("id", m.name()).put("object", "model").put("created", 0L)
        .put("owned_by", "rlhf4j").put("version", m.version());
    return out;
  }

  @Override public void close() {
    app.stop();
    batcher.close();
    if (log != null) log.close();
    registry.close();
  }
}
