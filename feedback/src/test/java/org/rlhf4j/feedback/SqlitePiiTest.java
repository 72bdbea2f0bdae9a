package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqlitePiiTest extends PiiScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
