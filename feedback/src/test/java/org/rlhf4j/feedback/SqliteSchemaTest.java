package org.rlhf4j.feedback;

import java.nio.file.Path;

class SqliteSchemaTest extends SchemaScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.sqlite(tmp); }
}
