package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresBrowserTest extends BrowserScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
