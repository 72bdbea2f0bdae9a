package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresAssignmentTest extends AssignmentScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
