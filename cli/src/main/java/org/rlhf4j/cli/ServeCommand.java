package org.rlhf4j.cli;

import java.util.concurrent.Callable;
import org.rlhf4j.feedback.FeedbackConfig;
import org.rlhf4j.feedback.FeedbackServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j serve}: the human-feedback web service (browser UI + JSON API). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Runs the human-feedback web service: a browser UI for raters and admins and a JSON API under /api.",
        "The first admin ('admin') gets the password in RLHF4J_ADMIN_PASSWORD, or a generated one printed once."})
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--db", defaultValue = "rlhf4j-feedback.db",
      description = "Database: an SQLite file (default: ${DEFAULT-VALUE}) or postgresql://user:pass@host:port/db.")
  String db;

  @Option(names = "--secure-cookies", description = "Mark the session cookie Secure: set this when the service is reached over HTTPS (e.g. behind a TLS proxy).")
  boolean secureCookies;

  @Option(names = "--trust-proxy", description = "Take each client's address (for login throttling) from the last X-Forwarded-For hop; only behind a proxy that sets it.")
  boolean trustProxy;

  @Override public Integer call() throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    FeedbackServer server;
    try {
      server = FeedbackServer.start(FeedbackConfig.defaults(port, db).withHost(host).behindProxy(secureCookies, trustProxy), System.getenv("RLHF4J_ADMIN_PASSWORD"), System.out);
    } catch (RuntimeException e) {
      System.err.println("rlhf4j serve: " + e.getMessage());
      return 1;
    }
    System.out.println("rlhf4j serve: listening on " + server.baseUrl() + " (database " + db.replaceAll("//[^@/]*@", "//***@") + ")");
    UntilShutdown.await(server::close);
    return 0;
  }
}
