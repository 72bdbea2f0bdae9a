package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteAccountTest extends AccountScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
