package org.rlhf4j.privacy.pii;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a data path (feedback imports, production feedback, exports, training data loading) does about personal data:
 * <ul>
 *   <li>{@code OFF}: nothing is scanned;</li>
 *   <li>{@code DETECT}: findings are reported, the text is kept;</li>
 *   <li>{@code REDACT}: findings are masked, pseudonymised or the record dropped, by {@link #redaction};</li>
 *   <li>{@code REJECT}: a text with any finding is refused (the caller reports it and stores nothing).</li>
 * </ul>
 * Usage: {@code PiiPolicy.redact(new Redaction.Mask()).screen(text)}; {@link PiiRecords} applies a policy to
 * training records, {@link FileScrubber} to JSONL/CSV files.
 */
public record PiiPolicy(Action action, PiiDetector detector, Redaction redaction) {
  public enum Action {
    OFF, DETECT, REDACT, REJECT;

    public static Action parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown PII action '" + s + "' (expected off, detect, redact or reject)");
      }
    }
  }

  /** The verdict on one text. */
  public enum Verdict { CLEAN, FLAGGED, REDACTED, DROPPED, REJECTED }

  /** One text screened: the text to store (absent when dropped or rejected), the findings and the verdict. */
  public record Outcome(Optional<String> text, List<Finding> findings, Verdict verdict) {
    public Outcome { findings = List.copyOf(findings); }
  }

  public PiiPolicy {
    if (action == null) throw new IllegalArgumentException("PiiPolicy.action must not be null");
    if (action != Action.OFF && detector == null) throw new IllegalArgumentException("PiiPolicy.detector must not be null for " + action);
    if (action == Action.REDACT && redaction == null) throw new IllegalArgumentException("PiiPolicy.redaction must not be null for REDACT");
  }

  public static PiiPolicy off() { return new PiiPolicy(Action.OFF, null, null); }

  public static PiiPolicy detect() { return new PiiPolicy(Action.DETECT, PiiDetector.defaults(), null); }

  public static PiiPolicy redact(Redaction redaction) { return new PiiPolicy(Action.REDACT, PiiDetector.defaults(), redaction); }

  public static PiiPolicy reject() { return new PiiPolicy(Action.REJECT, PiiDetector.defaults(), null); }

  /** The same policy with another detector (other types, another confidence threshold, rules only). */
  public PiiPolicy withDetector(PiiDetector d) { return new PiiPolicy(action, d, redaction); }

  public Outcome screen(String text) {
    if (action == Action.OFF || text == null || text.isEmpty()) return new Outcome(Optional.ofNullable(text), List.of(), Verdict.CLEAN);
    List<Finding> found = detector.detect(text);
    if (found.isEmpty()) return new Outcome(Optional.of(text), found, Verdict.CLEAN);
    return switch (action) {
      case DETECT -> new Outcome(Optional.of(text), found, Verdict.FLAGGED);
      case REJECT -> new Outcome(Optional.empty(), found, Verdict.REJECTED);
      case REDACT -> {
        Optional<String> r = redaction.apply(text, found);
        yield new Outcome(r, found, r.isPresent() ? Verdict.REDACTED : Verdict.DROPPED);
      }
      case OFF -> throw new AssertionError();
    };
  }
}
