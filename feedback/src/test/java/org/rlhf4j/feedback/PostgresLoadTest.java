package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresLoadTest extends LoadScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
