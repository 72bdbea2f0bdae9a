package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresHostileTest extends HostileScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
