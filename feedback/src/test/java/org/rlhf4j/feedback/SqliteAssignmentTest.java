package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteAssignmentTest extends AssignmentScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
