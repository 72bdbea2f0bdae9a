package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteDpTest extends DpScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
