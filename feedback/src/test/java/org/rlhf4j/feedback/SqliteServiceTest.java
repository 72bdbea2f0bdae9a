package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteServiceTest extends ServiceScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
