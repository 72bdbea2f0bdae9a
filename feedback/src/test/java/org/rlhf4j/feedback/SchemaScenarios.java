package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema migrations on a database that already holds data, and the start-up check of the task kinds; SQLite and PostgreSQL. */
abstract class SchemaScenarios {
  @TempDir Path tmp;

  abstract String dbUrl(Path tmp);

  @Test void taskKindMigrationKeepsProjectsAndLabelsAndRejectsUnknownKinds() {
    String url = dbUrl(tmp);
    long project;
    try (Db v2 = new Db(url, 2)) {
      project = v2.write(c -> {
        long admin = Db.insert(c, "INSERT INTO users (username, password_hash, role, created_at) VALUES ('a', 'h', 'rater', 0)");
        Db.insert(c, "INSERT INTO projects (name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at) VALUES ('old', 'pairwise', 3, 0.1, 1, 0, 0)");
        long p = Db.insert(c, "INSERT INTO projects (name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at) VALUES ('r', 'ranking', 2, 0.0, 0, 2, 0)");
        long item = Db.insert(c, "INSERT INTO items (project_id, prompt, responses, created_at) VALUES (?, '\"q\"', '[\"x\",\"y\"]', 0)", p);
        Db.insert(c, "INSERT INTO labels (project_id, item_id, rater_id, guideline_version, ranking, display_order, idempotency_key, created_at)"
            + " VALUES (?, ?, ?, 0, '[1,0]', '[0,1]', 'k', 0)", p, item, admin);
        return p;
      });
    }
    try (Db v3 = new Db(url)) {
      List<String> rows = v3.read(c -> Db.query(c, "SELECT id, name, kind, ratings_per_item, allow_tie, strength_levels FROM projects ORDER BY id",
          rs -> rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4) + " " + rs.getInt(5) + " " + rs.getInt(6)));
      assertThat(rows).containsExactly((project - 1) + " old pairwise 3 1 0", project + " r ranking 2 0 2");
      LabelRows labels = v3.read(c -> LabelRows.load(c, Project.load(c, project)));
      assertThat(labels.rows).singleElement().satisfies(r -> assertThat(TaskKind.ints(r.value())).containsExactly(1, 0));
      long next = v3.write(c -> Db.insert(c, "INSERT INTO projects (name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at)"
          + " VALUES ('new', 'rating', 1, 0, 0, 0, 0)"));
      assertThat(next).isEqualTo(project + 1);  // ids continue after the rebuilt table's highest
      assertThatThrownBy(() -> v3.write(c -> Db.insert(c, "INSERT INTO projects (name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at)"
          + " VALUES ('bad', 'essay', 1, 0, 0, 0, 0)"))).hasMessageContaining("database error");
      assertThatThrownBy(() -> v3.write(c -> Db.insert(c, "INSERT INTO items (project_id, prompt, responses, created_at) VALUES (9999, 'x', '[]', 0)")))
          .hasMessageContaining("database error");  // the tables referencing projects still check it after the rebuild
      long versions = v3.read(c -> Db.count(c, "SELECT COUNT(*) FROM schema_version"));
      assertThat(versions).isEqualTo(Migrations.FILES.size());
    }
  }

  @Test void aTaskKindWithoutItsMigrationStopsStartUpWithAClearMessage() {
    String url = dbUrl(tmp);
    try (Db db = new Db(url)) {
      db.write(c -> Db.update(c, "DELETE FROM task_kinds WHERE name = 'rating'"));
    }
    assertThatThrownBy(() -> new Db(url)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("task kind 'rating' is missing from table task_kinds").hasMessageContaining("Adding a task kind");
  }
}
