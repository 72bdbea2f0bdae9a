package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteLoginTest extends LoginScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
