package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /next} while another transaction (another server, or a request in flight) is assigning the same item:
 * a rater is told "done" only when nothing is left, and an item never gets more than N live assignments.
 * Run on SQLite and PostgreSQL.
 */
abstract class AssignmentScenarios {
  @TempDir Path tmp;
  TestServer s;
  long project;
  long item;
  Client c;

  abstract String dbUrl(Path tmp);

  /** N = 2; the only item already has rater a's label. */
  @BeforeEach void start() {
    s = new TestServer(dbUrl(tmp));
    Client a = s.rater("a");
    s.rater("b");
    c = s.rater("c");
    project = s.project(Map.of("name", "p", "kind", "pairwise", "ratingsPerItem", 2, "goldRate", 0.0), "a", "b", "c");
    item = s.items(project, List.of(ServiceScenarios.item("q", null, "x", "y"))).get(0);
    a.ok(a.get("/api/projects/" + project + "/next"), 200);
    a.ok(a.post("/api/labels", Map.of("itemId", item, "idempotencyKey", "k", "choice", "A")), 201);
  }

  @AfterEach void stop() { if (s != null) s.close(); }

  @Test void anItemAnotherTransactionIsAssigningIsNotReportedAsGone() throws Exception {
    JsonNode next = nextWhileRaterBIsBeingAssigned(false);
    assertThat(next.path("done").asBoolean()).as(next.toString()).isFalse();
    assertThat(next.get("itemId").asLong()).isEqualTo(item);
  }

  @Test void anItemAConcurrentAssignmentFillsIsNotHandedOutBeyondN() throws Exception {
    JsonNode next = nextWhileRaterBIsBeingAssigned(true);
    assertThat(next.path("done").asBoolean()).as(next.toString()).isTrue();
    assertThat(s.count("SELECT COUNT(*) FROM assignments WHERE item_id = ?", item)).isEqualTo(2);
  }

  @Test void goldItemsLeftAreServedBeforeDoneWhenTheProjectMixesInGold() {
    long gold = s.project(Map.of("name", "g", "kind", "pairwise", "ratingsPerItem", 1, "goldRate", 0.01), "c");
    List<Long> ids = s.items(gold, List.of(ServiceScenarios.item("regular", null, "x", "y"), ServiceScenarios.item("gold", "A", "x", "y")));
    for (int i = 0; i < 2; i++) {
      JsonNode next = c.ok(c.get("/api/projects/" + gold + "/next"), 200);
      assertThat(next.path("done").asBoolean()).as("item %d of 2", i + 1).isFalse();
      c.ok(c.post("/api/labels", Map.of("itemId", next.get("itemId").asLong(), "idempotencyKey", "g" + i, "choice", "A")), 201);
    }
    assertThat(c.ok(c.get("/api/projects/" + gold + "/next"), 200).path("done").asBoolean()).isTrue();
    assertThat(s.count("SELECT COUNT(*) FROM labels WHERE project_id = ?", gold)).isEqualTo(ids.size());
  }

  /**
   * Another connection assigns the item to rater b (locking the item row as the server does) and holds its
   * transaction open while rater c asks for the next item; then commits or rolls back. Returns c's answer.
   */
  private JsonNode nextWhileRaterBIsBeingAssigned(boolean commit) throws Exception {
    boolean postgres = s.dbUrl.startsWith("postgres");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
      try (Db db = new Db(s.dbUrl)) {
        db.write(conn -> {
          if (postgres) Db.count(conn, "SELECT COUNT(*) FROM (SELECT id FROM items WHERE id = ? FOR NO KEY UPDATE) x", item);
          long b = Db.count(conn, "SELECT id FROM users WHERE username = 'b'");
          Db.update(conn, "INSERT INTO assignments (item_id, rater_id, project_id, display_order, created_at) VALUES (?, ?, ?, '[0,1]', ?)",
              item, b, project, System.currentTimeMillis());
          held.countDown();
          await(release);
          if (!commit) throw new IllegalStateException("roll back");
          return null;
        });
      } catch (IllegalStateException e) {
        if (commit) throw e;
      }
    });
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<JsonNode> next = CompletableFuture.supplyAsync(() -> c.ok(c.get("/api/projects/" + project + "/next"), 200));
    waitUntilBlockedOrAnswered(next, postgres);
    release.countDown();
    other.get(30, TimeUnit.SECONDS);
    return next.get(60, TimeUnit.SECONDS);
  }

  /** PostgreSQL: until the server's query waits for the row lock (or has answered); SQLite: a moment. */
  private void waitUntilBlockedOrAnswered(CompletableFuture<JsonNode> next, boolean postgres) throws InterruptedException {
    long deadline = System.nanoTime() + (postgres ? 20_000_000_000L : 300_000_000L);
    while (!next.isDone() && System.nanoTime() < deadline) {
      if (postgres && s.count("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM items i%'") > 0) return;
      Thread.sleep(20);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("test timed out holding the transaction");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
