package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteBrowserTest extends BrowserScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
