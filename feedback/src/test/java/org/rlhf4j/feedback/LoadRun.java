package org.rlhf4j.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated raters hammering a server: each logs in, then repeatedly fetches its next item and submits a label
 * with an idempotency key, sometimes replaying the same submission. Failed requests (e.g. while the server is
 * down) are retried with the same key until acknowledged, so every label a rater saw acknowledged is known.
 */
final class LoadRun {
  /** One acknowledged label. */
  record Ack(String rater, long itemId, long labelId) {}

  final List<Ack> acks = new ArrayList<>();
  final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  final AtomicLong replays = new AtomicLong();
  /** Every {@code {"done": true}} answer: the rater and (in {@code labelId}) how many labels it had acknowledged by then. */
  final ConcurrentLinkedQueue<Ack> doneAnswers = new ConcurrentLinkedQueue<>();
  private final AtomicLong acked = new AtomicLong();
  private int minAcks;
  private CountDownLatch loggedIn;
  private long overtime;
  long[] latencyNanos = new long[0];
  double seconds;

  /** Creates {@code raters} rater accounts, a pairwise project of {@code items} items every rater may label, and returns its id. */
  static long setUp(Client admin, int raters, int items) { return setUp(admin, raters, items, raters); }

  /** As above with {@code ratingsPerItem} ratings per item. */
  static long setUp(Client admin, int raters, int items, int ratingsPerItem) {
    long project = admin.ok(admin.post("/api/projects", Map.of("name", "load", "kind", "pairwise", "ratingsPerItem", ratingsPerItem, "goldRate", 0.0)), 201)
        .get("id").asLong();
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < items; i++) list.add(Map.of("prompt", "prompt " + i, "responses", List.of("a" + i, "b" + i)));
    admin.ok(admin.post("/api/projects/" + project + "/items", Map.of("items", list)), 201);
    for (int r = 0; r < raters; r++) {
      admin.ok(admin.post("/api/users", Map.of("username", "load" + r, "password", TestServer.PASSWORD, "role", "rater")), 201);
      admin.ok(admin.post("/api/projects/" + project + "/members", Map.of("username", "load" + r)), 201);
    }
    return project;
  }

  /** Runs {@code raters} concurrent raters for {@code millis}; returns when all have stopped. */
  static LoadRun run(String base, long project, int raters, long millis, double replayProbability) throws InterruptedException {
    return run(base, project, raters, millis, replayProbability, 0);
  }

  /**
   * As above, but when fewer than {@code minAcks} labels were acknowledged after {@code millis} (a machine busy with
   * other work), the raters go on until there are, for at most a minute more.
   */
  static LoadRun run(String base, long project, int raters, long millis, double replayProbability, int minAcks) throws InterruptedException {
    return run(base, project, raters, millis, replayProbability, minAcks, () -> { });
  }

  /** As above, calling {@code whenLoggedIn} (on another thread) once every rater has logged in. */
  static LoadRun run(String base, long project, int raters, long millis, double replayProbability, int minAcks, Runnable whenLoggedIn)
      throws InterruptedException {
    LoadRun run = new LoadRun();
    run.minAcks = minAcks;
    run.loggedIn = new CountDownLatch(raters);
    Thread watcher = new Thread(() -> {
      try {
        run.loggedIn.await();
        whenLoggedIn.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "logged-in");
    watcher.setDaemon(true);
    watcher.start();
    List<long[]> latencies = new ArrayList<>();
    List<List<Ack>> perRater = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + millis * 1_000_000L;
    run.overtime = deadline + 60_000_000_000L;
    for (int r = 0; r < raters; r++) {
      String name = "load" + r;
      List<Ack> mine = new ArrayList<>();
      long[] lat = new long[100_000];
      perRater.add(mine);
      latencies.add(lat);
      Thread t = new Thread(() -> rater(run, base, name, project, deadline, replayProbability, mine, lat), "rater-" + r);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    run.seconds = (System.nanoTime() - start) / 1e9;
    perRater.forEach(run.acks::addAll);
    run.latencyNanos = latencies.stream().flatMapToLong(l -> Arrays.stream(l).filter(x -> x > 0)).sorted().toArray();
    return run;
  }

  private static void rater(LoadRun run, String base, String name, long project, long deadline, double replayP, List<Ack> acks, long[] lat) {
    Client c = new Client(base);
    int n = 0;
    try {
      login(c, name, deadline + 60_000_000_000L);
      run.loggedIn.countDown();
      while (run.keepGoing(deadline)) {
        JsonNode next = retry(c, name, () -> c.get("/api/projects/" + project + "/next"), deadline + 60_000_000_000L);
        if (next.path("done").asBoolean()) {
          run.doneAnswers.add(new Ack(name, -1, acks.size()));
          return;
        }
        long item = next.get("itemId").asLong();
        Map<String, Object> label = Map.of("itemId", item, "idempotencyKey", name + "-" + item, "choice", ThreadLocalRandom.current().nextBoolean() ? "A" : "B");
        long t0 = System.nanoTime();
        JsonNode ack = retry(c, name, () -> c.post("/api/labels", label), deadline + 60_000_000_000L);
        if (n < lat.length) lat[n++] = System.nanoTime() - t0;
        acks.add(new Ack(name, item, ack.get("labelId").asLong()));
        run.acked.incrementAndGet();
        if (ThreadLocalRandom.current().nextDouble() < replayP) {
          JsonNode again = retry(c, name, () -> c.post("/api/labels", label), deadline + 60_000_000_000L);
          run.replays.incrementAndGet();
          if (again.get("labelId").asLong() != ack.get("labelId").asLong()) run.problems.add(name + ": replay of item " + item + " got another label id");
        }
      }
    } catch (RuntimeException e) {
      run.problems.add(name + ": " + e);
    }
  }

  private static void login(Client c, String name, long giveUp) {
    while (true) {
      try {
        Client fresh = Client.login(c.base, name, TestServer.PASSWORD);
        c.cookie = fresh.cookie;
        c.csrf = fresh.csrf;
        return;
      } catch (UncheckedIOException | AssertionError e) {
        if (System.nanoTime() > giveUp) throw new IllegalStateException("cannot log in " + name + ": " + e);
        pause();
      }
    }
  }

  /** Sends until a 2xx (retrying connection failures and 5xx with the same request); other 4xx are failures. */
  private static JsonNode retry(Client c, String name, java.util.function.Supplier<Client.Resp> send, long giveUp) {
    while (true) {
      try {
        Client.Resp r = send.get();
        if (r.status() / 100 == 2) return r.json();
        if (r.status() == 401) login(c, name, giveUp);
        else if (r.status() < 500) throw new IllegalStateException("HTTP " + r.status() + ": " + r.body());
      } catch (UncheckedIOException e) {
        // server down or connection reset: retry below
      }
      if (System.nanoTime() > giveUp) throw new IllegalStateException("gave up retrying for " + name);
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The {@code done} answers that were wrong: the rater was told nothing was left, yet at the end of the run the
   * project still has an item the rater never got with fewer than N assignments. Assignments only accumulate
   * during a run, so such an item was available when the rater was told "done".
   */
  List<String> falseDone(String dbUrl, long project) {
    try (Db db = new Db(dbUrl)) {
      return db.read(c -> {
        List<String> wrong = new ArrayList<>();
        for (Ack d : doneAnswers) {
          long left = Db.count(c, "SELECT COUNT(*) FROM items i WHERE i.project_id = ? AND i.gold IS NULL"
              + " AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.rater_id WHERE a.item_id = i.id AND u.username = ?)"
              + " AND (SELECT COUNT(*) FROM assignments a WHERE a.item_id = i.id) < (SELECT ratings_per_item FROM projects WHERE id = ?)",
              project, d.rater(), project);
          if (left > 0) wrong.add(d.rater() + " was told done after " + d.labelId() + " labels with " + left + " items still open to it");
        }
        return wrong;
      });
    }
  }

  private boolean keepGoing(long deadline) {
    long now = System.nanoTime();
    return now < deadline || (now < overtime && acked.get() < minAcks);
  }

  double perSecond() { return acks.size() / seconds; }

  double percentileMs(double p) {
    if (latencyNanos.length == 0) return Double.NaN;
    int i = (int) Math.min(latencyNanos.length - 1, Math.ceil(p * latencyNanos.length) - 1);
    return latencyNanos[Math.max(0, i)] / 1e6;
  }
}
