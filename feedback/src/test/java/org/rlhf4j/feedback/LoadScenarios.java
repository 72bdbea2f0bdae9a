package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 concurrent raters submit for 10 s (longer on a machine too busy to acknowledge 200 labels by then) against a server in its own JVM, which is killed abruptly (SIGKILL)
 * half-way and restarted; every acknowledged label must be stored exactly once, and nothing unacknowledged; no
 * rater is told "done" while an item it may still label is left. N = 3 ratings per item, so raters compete for
 * the same items at the front of the queue.
 */
abstract class LoadScenarios {
  static final int RATERS = 200;
  static final long MILLIS = 10_000;
  static final int ITEMS = 1000;
  static final int RATINGS_PER_ITEM = 3;

  @TempDir Path tmp;

  abstract String dbUrl(Path tmp);

  @Test void acknowledgedLabelsSurviveAServerKillExactlyOnce() throws Exception {
    String url = dbUrl(tmp);
    try (ServerProcess server = new ServerProcess(url)) {
      Client admin = Client.login(server.base(), "admin", TestServer.ADMIN_PASSWORD);
      long project = LoadRun.setUp(admin, RATERS, ITEMS, RATINGS_PER_ITEM);
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(MILLIS / 2);
          server.kill();
          server.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      killer.start();
      LoadRun run = LoadRun.run(server.base(), project, RATERS, MILLIS, 0.1, RATERS + 1);
      killer.join();
      System.out.printf("load test (%s): %d labels acknowledged in %.1f s with a kill+restart, %d replays, p50 %.1f ms, p99 %.1f ms, %d done answers%n",
          url.startsWith("postgres") ? "postgresql" : "sqlite", run.acks.size(), run.seconds, run.replays.get(), run.percentileMs(0.5), run.percentileMs(0.99),
          run.doneAnswers.size());
      assertThat(run.problems).isEmpty();
      assertThat(run.falseDone(url, project)).isEmpty();
      assertThat(run.acks).hasSizeGreaterThan(RATERS);
      Set<Long> ids = new HashSet<>();
      run.acks.forEach(a -> ids.add(a.labelId()));
      assertThat(ids).hasSize(run.acks.size());
      try (Db db = new Db(url)) {
        List<LoadRun.Ack> stored = db.read(c -> Db.query(c, "SELECT u.username, l.item_id, l.id FROM labels l JOIN users u ON u.id = l.rater_id",
            rs -> new LoadRun.Ack(rs.getString(1), rs.getLong(2), rs.getLong(3))));
        assertThat(stored).containsExactlyInAnyOrderElementsOf(run.acks);
      }
    }
  }
}
