package org.rlhf4j.feedback;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark: sustained label submissions per second and submission latency (p50/p99) with concurrent
 * simulated raters, on SQLite and (when {@code RLHF4J_TEST_PG_URL} is set) PostgreSQL. Prints one JSON line per
 * database. Run: {@code mvn -q -B -ntp -pl feedback -am test-compile exec:java -Dexec.args="30 200"}
 * (arguments: seconds, raters, databases, ratings per item; defaults 30, 200, {@code sqlite,postgresql} and one per
 * rater). Also counts wrong {@code done} answers ({@link LoadRun#falseDone}). See feedback/README.md.
 */
public final class ServeBench {
  private ServeBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int raters = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String dbs = args.length > 2 ? args[2] : "sqlite,postgresql";
    int n = args.length > 3 ? Integer.parseInt(args[3]) : raters;
    Path dir = Files.createTempDirectory("rlhf4j-serve-bench");
    if (dbs.contains("sqlite")) bench("sqlite", TestDbs.sqlite(dir), seconds, raters, n);
    String pg = System.getenv(TestDbs.PG_ENV);
    if (!dbs.contains("postgresql")) System.out.println("{\"db\":\"postgresql\",\"skipped\":\"not asked for\"}");
    else if (pg == null || pg.isBlank()) System.out.println("{\"db\":\"postgresql\",\"skipped\":\"set " + TestDbs.PG_ENV + " to benchmark PostgreSQL\"}");
    else bench("postgresql", TestDbs.postgres(), seconds, raters, n);
    System.exit(0);
  }

  private static void bench(String name, String url, int seconds, int raters, int n) throws Exception {
    FeedbackConfig cfg = FeedbackConfig.defaults(0, url).withBcryptCost(4);
    try (FeedbackServer server = FeedbackServer.start(cfg, TestServer.ADMIN_PASSWORD, new PrintStream(new ByteArrayOutputStream()))) {
      Client admin = Client.login(server.baseUrl(), "admin", TestServer.ADMIN_PASSWORD);
      long project = LoadRun.setUp(admin, raters, 2000, n);
      LoadRun run = LoadRun.run(server.baseUrl(), project, raters, seconds * 1000L, 0.0);
      System.out.println(String.format(Locale.ROOT,
          "{\"db\":\"%s\",\"raters\":%d,\"ratingsPerItem\":%d,\"seconds\":%.1f,\"labels\":%d,\"labelsPerSecond\":%.1f,\"p50Ms\":%.2f,\"p99Ms\":%.2f,\"errors\":%d,\"falseDone\":%d,\"cpus\":%d}",
          name, raters, n, run.seconds, run.acks.size(), run.perSecond(), run.percentileMs(0.5), run.percentileMs(0.99), run.problems.size(),
          run.falseDone(url, project).size(), Runtime.getRuntime().availableProcessors()));
    }
  }
}
