package org.rlhf4j.feedback;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark: raters' label-submission latency while {@code flooders} clients hammer {@code /api/login} with wrong
 * passwords from the same address, against the same raters without the flood; with production bcrypt (cost 12) and
 * the default login throttling, then with throttling off (limits no client reaches) for comparison. Prints one JSON
 * line per database and setting. Run:
 * {@code mvn -q -B -ntp -pl feedback -am test-compile exec:java -Dexec.skip=true -Dexec.mainClass=org.rlhf4j.feedback.LoginFloodBench -Dexec.args="10 200 50"}
 * (seconds per phase, raters, flooding clients, databases; defaults 10, 200, 50, {@code sqlite,postgresql}).
 */
public final class LoginFloodBench {
  private LoginFloodBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int raters = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int flooders = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    String dbs = args.length > 3 ? args[3] : "sqlite,postgresql";
    Path dir = Files.createTempDirectory("rlhf4j-login-flood");
    if (dbs.contains("sqlite")) bench("sqlite", TestDbs.sqlite(dir), seconds, raters, flooders);
    String pg = System.getenv(TestDbs.PG_ENV);
    if (dbs.contains("postgresql") && pg != null && !pg.isBlank()) bench("postgresql", TestDbs.postgres(), seconds, raters, flooders);
    System.exit(0);
  }

  private static void bench(String db, String url, int seconds, int raters, int flooders) throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    long project;
    try (FeedbackServer setup = FeedbackServer.start(FeedbackConfig.defaults(0, url).withBcryptCost(4), TestServer.ADMIN_PASSWORD, quiet)) {
      project = LoadRun.setUp(Client.login(setup.baseUrl(), "admin", TestServer.ADMIN_PASSWORD), raters, 20_000, 3);
    }
    LoginPolicy off = new LoginPolicy(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2, 1, 1, 1);
    for (LoginPolicy policy : List.of(LoginPolicy.defaults(), off)) {
      try (FeedbackServer server = FeedbackServer.start(FeedbackConfig.defaults(0, url).withLogin(policy), TestServer.ADMIN_PASSWORD, quiet)) {
        LoadRun calm = LoadRun.run(server.baseUrl(), project, raters, seconds * 1000L, 0.0);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicLong stop = new AtomicLong(Long.MAX_VALUE);
        List<Thread> flood = java.util.Collections.synchronizedList(new ArrayList<>());
        LoadRun flooded = LoadRun.run(server.baseUrl(), project, raters, seconds * 1000L, 0.0, 0, () -> {
          stop.set(System.nanoTime() + seconds * 1_000_000_000L);
          for (int i = 0; i < flooders; i++) flood.add(flooder(server.baseUrl(), i, stop, statuses));
        });
        stop.set(0);
        for (Thread t : flood) t.join();
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        System.out.println(String.format(Locale.ROOT,
            "{\"db\":\"%s\",\"throttling\":%s,\"bcryptCost\":12,\"raters\":%d,\"flooders\":%d,\"seconds\":%d,"
                + "\"calm\":{\"labelsPerSecond\":%.1f,\"p50Ms\":%.1f,\"p99Ms\":%.1f},\"flood\":{\"labelsPerSecond\":%.1f,\"p50Ms\":%.1f,\"p99Ms\":%.1f},"
                + "\"loginAnswers\":%s,\"cpus\":%d}",
            db, policy != off, raters, flooders, seconds, calm.perSecond(), calm.percentileMs(0.5), calm.percentileMs(0.99),
            flooded.perSecond(), flooded.percentileMs(0.5), flooded.percentileMs(0.99), Body.JSON.writeValueAsString(counts),
            Runtime.getRuntime().availableProcessors()));
      }
    }
  }

  /** A client that posts wrong passwords (for a real account and for made-up names) until {@code stop}. */
  private static Thread flooder(String base, int i, AtomicLong stop, Map<Integer, LongAdder> statuses) {
    Thread t = new Thread(() -> {
      Client c = new Client(base);
      for (int n = 0; System.nanoTime() < stop.get(); n++) {
        String user = n % 2 == 0 ? "load0" : "nobody" + i + "-" + n;
        try {
          int status = c.post("/api/login", Map.of("username", user, "password", "wrong-password-" + n)).status();
          statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        } catch (UncheckedIOException e) {
          statuses.computeIfAbsent(-1, k -> new LongAdder()).increment();
        }
      }
    }, "flooder-" + i);
    t.start();
    return t;
  }
}
