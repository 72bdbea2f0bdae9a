package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login throttling, the password policy and long passwords over HTTP; run on SQLite and PostgreSQL. */
abstract class LoginScenarios {
  @TempDir Path tmp;
  TestServer s;

  abstract String dbUrl(Path tmp);

  @BeforeEach void start() { s = new TestServer(dbUrl(tmp)); }

  @AfterEach void stop() { if (s != null) s.close(); }

  static Client.Resp login(TestServer s, String user, String password) {
    return new Client(s.base).post("/api/login", Map.of("username", user, "password", password));
  }

  @Test void wrongPasswordsLockTheAccountWithANoticeAndBackoff() {
    s.rater("r1");
    s.rater("r2");
    for (int i = 0; i < LoginPolicy.defaults().accountFailures(); i++) {
      HostileScenarios.assertError(login(s, "r1", "wrong-password-" + i), 401, "wrong username or password");
    }
    Client.Resp locked = login(s, "r1", TestServer.PASSWORD);  // even the right password waits
    HostileScenarios.assertError(locked, 429, "too many failed logins for this account: try again in 1 s");
    assertThat(locked.header("Retry-After")).isEqualTo("1");
    assertThat(login(s, "r2", TestServer.PASSWORD).status()).as("other accounts log in").isEqualTo(200);
    assertThat(login(s, "R1", "guess").status()).as("the name's case does not reset the count").isEqualTo(429);
  }

  @Test void manyWrongLoginsFromOneAddressAreThrottledWhateverTheNames() {
    s.rater("r1");
    for (int i = 0; i < LoginPolicy.defaults().addressFailures(); i++) {
      HostileScenarios.assertError(login(s, "nobody" + i, "wrong-password"), 401, "wrong username or password");
    }
    HostileScenarios.assertError(login(s, "r1", TestServer.PASSWORD), 429, "too many failed logins from this address");
  }

  @Test void weakPasswordsAreRefusedAndLongOnesWork() {
    long users = s.count("SELECT COUNT(*) FROM users");
    HostileScenarios.assertError(s.admin.post("/api/users", Map.of("username", "r3", "password", "password", "role", "rater")), 400, "at least 12 characters");
    HostileScenarios.assertError(s.admin.post("/api/users", Map.of("username", "r3", "password", "12345678", "role", "rater")), 400, "at least 12");
    HostileScenarios.assertError(s.admin.post("/api/users", Map.of("username", "r3", "password", "qwerty123456", "role", "rater")), 400, "common passwords");
    assertThat(s.count("SELECT COUNT(*) FROM users")).isEqualTo(users);
    String longPassword = "a passphrase well beyond bcrypt's limit of seventy-two bytes, with ünïcödé too";
    s.admin.ok(s.admin.post("/api/users", Map.of("username", "r3", "password", longPassword, "role", "rater")), 201);
    assertThat(login(s, "r3", longPassword).status()).isEqualTo(200);
    HostileScenarios.assertError(login(s, "r3", longPassword.substring(0, 72)), 401, "wrong username or password");
    HostileScenarios.assertError(login(s, "r3", "y".repeat(1000)), 401, "wrong username or password");  // was a 500 past 72 bytes
  }

  @Test void aWeakFirstAdminPasswordStopsStartUpNamingTheVariable() {
    FeedbackConfig cfg = FeedbackConfig.defaults(0, dbUrl(tmp)).withBcryptCost(4);
    assertThatThrownBy(() -> FeedbackServer.start(cfg, "admin123", new PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RLHF4J_ADMIN_PASSWORD: password must have at least 12 characters");
  }
}
