package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteLoadTest extends LoadScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
