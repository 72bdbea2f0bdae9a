package org.rlhf4j.feedback;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.PrintStream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.rlhf4j.privacy.dp.SecureNoise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The human-feedback web service: a JSON API under {@code /api} and a small browser UI, over SQLite or
 * PostgreSQL. {@code start()} migrates the schema, creates the first admin when there are no users, and
 * binds the configured host and port.
 */
public final class FeedbackServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackServer.class);

  private final FeedbackConfig config;
  private final Db db;
  private final Auth auth;
  private final Accounts accounts;
  private final Javalin app;

  private FeedbackServer(FeedbackConfig config) {
    this.config = config;
    this.db = new Db(config.dbUrl());
    this.auth = new Auth(db, config.sessionMillis());
    this.accounts = new Accounts(db, auth, config);
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.http.maxRequestSize = config.maxImportBytes();
      cfg.jetty.threadPool = new QueuedThreadPool(64, 8, 60_000);  // bounded: excess requests queue instead of thrashing
      cfg.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = "/public";
        s.location = Location.CLASSPATH;
      });
    });
    routes();
  }

  /**
   * Starts a server. When the database has no users, creates {@code admin} with {@code adminPassword}
   * (or a generated password, printed once to {@code out}).
   */
  public static FeedbackServer start(FeedbackConfig config, String adminPassword, PrintStream out) {
    FeedbackServer s = new FeedbackServer(config);
    try {
      String generated = s.accounts.ensureFirstAdmin(adminPassword);
      if (generated != null) out.println("rlhf4j serve: created user 'admin' with generated password: " + generated + " (shown once)");
      s.app.start(config.host(), config.port());
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The bound port (useful when the config asked for port 0). */
  public int port() { return app.port(); }

  public String baseUrl() { return "http://" + config.host() + ":" + port(); }

  private void routes() {
    app.before(ctx -> {
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("X-Frame-Options", "DENY");
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'");
      if (ctx.path().startsWith("/api/")) {
        ctx.header("Cache-Control", "no-store");
        auth.authenticate(ctx);
      }
    });
    app.get("/api/health", ctx -> ctx.json(Body.object().put("status", "ok").put("database", db.dialect().name().toLowerCase())));
    new UserRoutes(auth, accounts, db, config).register(app);
    new TokenRoutes(db, config).register(app);
    new ProjectRoutes(db, config).register(app);
    new Labels(db, config).register(app);
    new QualityRoutes(db, config).register(app);
    new ExportRoutes(db).register(app);
    new Production(db, config).register(app);
    new PiiRoutes(db, config).register(app);
    new DpRoutes(db, config, SecureNoise.secure()).register(app);
    new ImplicitFeedback(db, config, config.implicit()).register(app);
    app.exception(HttpResponseException.class, (e, ctx) -> {
      String retry = e.getDetails().get("retryAfterSeconds");
      if (retry != null) ctx.header("Retry-After", retry);
      ctx.status(e.getStatus()).json(Body.object().put("error", e.getMessage()));
    });
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
      ctx.status(500).json(Body.object().put("error", "internal error"));
    });
    app.error(404, ctx -> {
      if (ctx.path().startsWith("/api/") && ctx.result() == null) ctx.json(Body.object().put("error", "no such endpoint: " + ctx.method() + " " + ctx.path()));
    });
  }

  /** Stops the HTTP server and closes the connection pool. */
  @Override public void close() {
    app.stop();
    db.close();
  }

  /** Runs a server until the JVM exits: {@code FeedbackServer <port> <dbUrl> [bcryptCost]} (used by tests and benchmarks). */
  public static void main(String[] args) {
    FeedbackConfig cfg = FeedbackConfig.defaults(Integer.parseInt(args[0]), args[1]);
    if (args.length > 2) cfg = cfg.withBcryptCost(Integer.parseInt(args[2]));
    FeedbackServer s = start(cfg, System.getenv("RLHF4J_ADMIN_PASSWORD"), System.out);
    System.out.println("listening " + s.port());
    System.out.flush();
  }
}
