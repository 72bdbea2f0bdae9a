package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
  private final Router router;
  private final FeedbackLog log;
  private final PrometheusMeterRegistry registry;

  private ModelServer(Javalin app, Router router, FeedbackLog log, PrometheusMeterRegistry registry) {
    this.app = app;
    this.router = router;
    this.log = log;
    this.registry = registry;
  }

  /** One model, asked for by its name. */
  public static ModelServer start(ServedModel model, ServingConfig cfg) {
    return start(model.name(), List.of(model), null, cfg);
  }

  /**
   * Times the matmul paths' verdicts ({@link org.rlhf4j.runtime.OneDnn#verdict}) now, while the machine is quiet, instead
   * of lazily inside the first large prefill among busy request threads, where the timing, and with it the kernel every
   * later prompt takes, could differ from run to run.
   */
  private static void kernelChoices() {
    if (!org.rlhf4j.models.nn.ThinMatmul.enabled() || !org.rlhf4j.runtime.OneDnn.available()) return;
    org.rlhf4j.runtime.OneDnn.verdict(org.rlhf4j.runtime.OneDnn.Workload.DECODE);
    org.rlhf4j.runtime.OneDnn.verdict(org.rlhf4j.runtime.OneDnn.Workload.PROMPT);
  }

  /**
   * An A/B experiment: requests for {@code name} go to the version {@code split} assigns their user (its arms are
   * the versions' {@code name@version} ids, in the order of {@code versions}); each version is also reachable directly.
   * With one version and no split this is {@link #start(ServedModel, ServingConfig)}.
   */
  public static ModelServer start(String name, List<ServedModel> versions, List<Double> weights, ServingConfig cfg) {
    kernelChoices();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<Router.Deployment> deployments = new ArrayList<>();
    boolean ab = versions.size() > 1;
    for (ServedModel v : versions) {
      String id = ab ? name + "@" + v.version() : name;
      deployments.add(new Router.Deployment(id, v, new Batcher(v, id, cfg, registry)));
    }
    AbSplit split = null;
    if (ab) {
      double[] w = new double[versions.size()];
      for (int i = 0; i < w.length; i++) w[i] = weights == null ? 1 : weights.get(i);
      split = new AbSplit(name, deployments.stream().map(Router.Deployment::id).toList(), w);
    }
    Router router = new Router(name, deployments, split);
    ServedModel model = versions.get(0);
    FeedbackLog log = cfg.feedbackUrl() == null ? null : new FeedbackLog(cfg.feedbackUrl(), cfg.feedbackToken(), registry);
    CompletionRoutes routes = new CompletionRoutes(router, cfg, log, registry);
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
    app.get("/health", ctx -> ctx.json(JSON.createObjectNode().put("status", "ok").put("model", name)
        .put("version", model.version())));
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    app.get("/v1/models", ctx -> ctx.json(models(router)));
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
    return new ModelServer(app, router, log, registry);
  }

  /** The bound port. */
  public int port() { return app.port(); }

  /** The largest batch the generator has decoded. */
  public int largestBatch() {
    return router.deployments().stream().mapToInt(d -> d.batcher().largestBatch()).max().orElse(0);
  }

  /** Requests that joined a batch already decoding (continuous batching). */
  public long joinedRunningBatch() {
    return router.deployments().stream().mapToLong(d -> d.batcher().joinedRunning()).sum();
  }

  /** The Prometheus exposition text (what /metrics serves). */
  public String scrape() { return registry.scrape(); }

  static ObjectNode error(String message, String type, String param, String code) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode inner = e.putObject("error");
    inner.put("message", message).put("type", type).put("param", param).put("code", code);
    return e;
  }

  private static ObjectNode models(Router router) {
    ObjectNode out = JSON.createObjectNode().put("object", "list");
    var data = out.putArray("data");
    for (String id : router.ids()) data.addObject().put("id", id).put("object", "model").put("created", 0L).put("owned_by", "rlhf4j");
    return out;
  }

  @Override public void close() {
    app.stop();
    for (Router.Deployment d : router.deployments()) d.batcher().close();
    if (log != null) log.close();
    registry.close();
  }
}
