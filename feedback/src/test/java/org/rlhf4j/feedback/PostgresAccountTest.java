package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresAccountTest extends AccountScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
