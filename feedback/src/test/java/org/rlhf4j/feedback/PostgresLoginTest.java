package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresLoginTest extends LoginScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
