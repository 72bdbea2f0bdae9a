package org.rlhf4j.cli;

import java.util.List;
import java.util.function.BiFunction;
import org.rlhf4j.privacy.pii.PiiPolicy;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.privacy.pii.PiiRejectedException;
import org.rlhf4j.privacy.pii.Redaction;

/**
 * The training commands' {@code --pii off|detect|redact|reject} (setting {@code pii}): screens the loaded training
 * data before training sees it, and prints one line saying what was found (counts per type, never values).
 */
final class PiiScreen {
  private PiiScreen() {}

  static PiiPolicy policy(Settings s) {
    return switch (s.string("pii", "off")) {
      case "off" -> PiiPolicy.off();
      case "detect" -> PiiPolicy.detect();
      case "redact" -> PiiPolicy.redact(new Redaction.Mask());
      case "reject" -> PiiPolicy.reject();
      default -> throw new UserError("--pii must be off, detect, redact or reject, got '" + s.string("pii", "") + "'");
    };
  }

  /** {@code rows} (read from {@code source}) under the command's PII policy, e.g. {@code screen(s, "--data", pairs, PiiRecords::preferences)}. */
  static <T> List<T> screen(Settings s, String source, List<T> rows, BiFunction<List<T>, PiiPolicy, PiiRecords.Screened<T>> how) {
    PiiPolicy p = policy(s);
    if (p.action() == PiiPolicy.Action.OFF) return rows;
    try {
      PiiRecords.Screened<T> r = how.apply(rows, p);
      System.err.println("pii (" + s.string("pii", "off") + ") " + source + ": " + r.report().summary());
      return r.records();
    } catch (PiiRejectedException e) {
      throw new UserError(source + ": " + e.getMessage() + " (--pii reject; --pii redact masks it instead)");
    }
  }
}
