package org.rlhf4j.feedback;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.NotFoundResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Set;
import org.rlhf4j.privacy.pii.PiiDetector;
import org.rlhf4j.privacy.pii.PiiPolicy;
import org.rlhf4j.privacy.pii.Redaction;

/**
 * A project's PII policy as stored with it ({@code projects.pii_action}, {@code pii_mode}, {@code pii_salt}):
 * {@code off}, {@code detect} (findings recorded, text kept), {@code redact} with a mode ({@code mask}: {@code <EMAIL>};
 * {@code hash}: keyed pseudonyms under the project's secret salt; {@code drop}: the record is not stored / exported)
 * or {@code reject} (a record with personal data is refused with 422). The service uses the rule-based recognisers
 * only ({@link PiiDetector#rulesOnly}): CoreNLP is never on its classpath.
 */
record PiiSettings(String action, String mode, String salt) {
  static final Set<String> ACTIONS = Set.of("off", "detect", "redact", "reject");
  static final Set<String> MODES = Set.of("mask", "hash", "drop");
  /** Production feedback through a token bound to no project: findings recorded, text kept. */
  static final PiiSettings UNBOUND = new PiiSettings("detect", "mask", null);
  private static final PiiDetector DETECTOR = PiiDetector.rulesOnly();
  private static final SecureRandom RANDOM = new SecureRandom();

  PiiSettings {
    if (!ACTIONS.contains(action)) throw new BadRequestResponse("PII action must be off, detect, redact or reject but was '" + action + "'");
    if (!MODES.contains(mode)) throw new BadRequestResponse("PII mode must be mask, hash or drop but was '" + mode + "'");
  }

  /** The settings in a request body: {@code piiAction} (default {@code fallback}'s) and {@code piiMode}. */
  static PiiSettings from(Body b, PiiSettings fallback) {
    String action = b.has("piiAction") ? b.text("piiAction") : fallback.action();
    String mode = b.has("piiMode") ? b.text("piiMode") : fallback.mode();
    if (!ACTIONS.contains(action)) throw new BadRequestResponse("field 'piiAction' must be off, detect, redact or reject but was '" + action + "'");
    if (!MODES.contains(mode)) throw new BadRequestResponse("field 'piiMode' must be mask, hash or drop but was '" + mode + "'");
    return new PiiSettings(action, mode, fallback.salt());
  }

  /** A fresh secret salt for hash pseudonyms (32 random bytes). */
  static String newSalt() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static PiiSettings load(Connection c, long projectId) throws SQLException {
    PiiSettings s = Db.queryOne(c, "SELECT pii_action, pii_mode, pii_salt FROM projects WHERE id = ?",
        rs -> new PiiSettings(rs.getString(1), rs.getString(2), rs.getString(3)), projectId);
    if (s == null) throw new NotFoundResponse("no project " + projectId);
    return s;
  }

  /** Stores the action and mode (the salt is made once, with the project, and never changes or leaves the database). */
  void save(Connection c, long projectId) throws SQLException {
    String s = salt != null ? salt : newSalt();
    Db.update(c, "UPDATE projects SET pii_action = ?, pii_mode = ?, pii_salt = COALESCE(pii_salt, ?) WHERE id = ?", action, mode, s, projectId);
  }

  boolean screens() { return !action.equals("off"); }

  PiiPolicy policy() {
    return switch (action) {
      case "off" -> PiiPolicy.off();
      case "detect" -> new PiiPolicy(PiiPolicy.Action.DETECT, DETECTOR, null);
      case "reject" -> new PiiPolicy(PiiPolicy.Action.REJECT, DETECTOR, null);
      default -> new PiiPolicy(PiiPolicy.Action.REDACT, DETECTOR, switch (mode) {
        case "hash" -> {
          if (salt == null) throw new IllegalStateException("project has no PII salt");
          yield Redaction.Hash.withSalt(salt);
        }
        case "drop" -> new Redaction.Drop();
        default -> new Redaction.Mask();
      });
    };
  }

  /** "redact (mask)", "reject", ... for messages and the API. */
  String describe() { return action.equals("redact") ? "redact (" + mode + ")" : action; }
}
