package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresPiiTest extends PiiScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
