package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteHostileTest extends HostileScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
