package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresImplicitTest extends ImplicitScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
