package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresDpTest extends DpScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
