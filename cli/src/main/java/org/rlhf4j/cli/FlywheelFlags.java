package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.serving.ServiceClient;
import picocli.CommandLine.Option;

/**
 * What every {@code flywheel} subcommand names (picocli mixin of turn and decide): the feedback service and its admin
 * login, and the flywheel folder. The service is asked through {@link ServiceClient}; its failures become usage
 * errors naming {@code --service}.
 */
final class FlywheelFlags {
  static final String USER_ENV = "RLHF4J_FEEDBACK_USER", PASSWORD_ENV = "RLHF4J_FEEDBACK_PASSWORD";

  @Option(names = "--service", required = true, description = "Feedback service base URL (rlhf4j serve), e.g. http://127.0.0.1:8080.") String service;
  @Option(names = "--password-file", description = "File whose first line is the feedback service admin's password (else $" + PASSWORD_ENV + ").") Path passwordFile;
  @Option(names = "--output", required = true, description = "Flywheel folder (registry.json, decisions.jsonl and one turn-K folder per turn).") Path output;

  private ServiceClient client;

  /** GET {@code path} from the service as the admin (logging in on first use); the body as text. */
  String text(String path) { return ask(() -> admin().text(path)); }

  JsonNode json(String path) { return ask(() -> admin().json(path)); }

  /**
   * Logs in as the user in {@link #USER_ENV} (default admin) with the password in the first line of
   * {@code --password-file} when one is given (a mounted secret), else in {@link #PASSWORD_ENV}.
   */
  private ServiceClient admin() {
    if (client != null) return client;
    String user = System.getenv().getOrDefault(USER_ENV, "admin");
    ServiceClient c;
    try {
      c = ServiceClient.of(service);
    } catch (IllegalArgumentException e) {
      throw new UserError("--service " + e.getMessage());
    }
    client = c.login(user, password(user));
    return client;
  }

  private String password(String user) {
    if (passwordFile != null) {
      String password;
      try {
        password = Files.readAllLines(passwordFile).stream().findFirst().orElse("").strip();
      } catch (IOException e) {
        throw new UserError("--password-file " + passwordFile + ": cannot read it (" + e.getMessage() + ")");
      }
      if (password.isEmpty()) throw new UserError("--password-file " + passwordFile + " is empty");
      return password;
    }
    String password = System.getenv(PASSWORD_ENV);
    if (password == null || password.isEmpty()) {
      throw new UserError("--service: set " + PASSWORD_ENV + " (or --password-file) to the password of the feedback service's admin "
          + user + " (" + USER_ENV + ")");
    }
    return password;
  }

  private static <T> T ask(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ServiceClient.Failure e) {
      throw new UserError("--service: " + e.getMessage() + (e.status() == 0 ? "; is rlhf4j serve running there?" : ""));
    }
  }
}
