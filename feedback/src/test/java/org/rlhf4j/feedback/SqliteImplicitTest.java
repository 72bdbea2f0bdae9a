package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteImplicitTest extends ImplicitScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
