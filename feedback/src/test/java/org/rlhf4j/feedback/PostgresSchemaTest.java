package org.rlhf4j.feedback;

import java.nio.file.Path;

class PostgresSchemaTest extends SchemaScenarios {
  @Override String dbUrl(Path tmp) { return TestDbs.postgres(); }
}
