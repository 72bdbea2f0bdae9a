package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresServiceTest extends ServiceScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
