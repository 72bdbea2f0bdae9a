package org.rlhf4j.privacy.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What redaction does with the findings of a text: mask them, replace them with keyed pseudonyms, or drop the record. */
public sealed interface Redaction permits Redaction.Mask, Redaction.Hash, Redaction.Drop {

  /** The text with {@code findings} (disjoint, as {@link PiiDetector#detect} returns them) handled; empty = drop the record. */
  Optional<String> apply(String text, List<Finding> findings);

  /** A name for settings and reports: mask, hash, drop. */
  String mode();

  /** Each finding becomes its type's placeholder: {@code <EMAIL>}. */
  record Mask() implements Redaction {
    @Override public Optional<String> apply(String text, List<Finding> findings) {
      return Optional.of(replace(text, findings, f -> f.type().placeholder()));
    }

    @Override public String mode() { return "mask"; }
  }

  /**
   * Each finding becomes {@code <TYPE_h>} where h is the first 12 hex digits of HMAC-SHA256(salt, type + value), the
   * value normalised (case and separators ignored for e-mails, numbers and codes; whitespace for names): the same
   * person or card gets the same pseudonym throughout a dataset and across datasets hashed with the same salt, so
   * joins and counts survive while the value does not. Without the salt a pseudonym cannot be inverted by
   * hashing guesses; keep the salt secret and out of the data.
   */
  record Hash(SecretKeySpec key) implements Redaction {
    public Hash {
      if (key == null) throw new IllegalArgumentException("Hash.key must not be null");
    }

    /** A key from a salt of at least 16 bytes (UTF-8). */
    public static Hash withSalt(String salt) {
      if (salt == null || salt.getBytes(StandardCharsets.UTF_8).length < 16) {
        throw new IllegalArgumentException("the hash salt must be at least 16 bytes (a random secret, kept out of the data)");
      }
      return new Hash(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    @Override public Optional<String> apply(String text, List<Finding> findings) {
      return Optional.of(replace(text, findings, f -> "<" + f.type().name() + "_" + pseudonym(f.type(), f.in(text)) + ">"));
    }

    /** The 12-hex-digit pseudonym of {@code value} as a {@code type}. */
    public String pseudonym(PiiType type, String value) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        byte[] h = mac.doFinal((type.name() + "\u0000" + normalise(type, value)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, 6);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is unavailable", e);
      }
    }

    static String normalise(PiiType type, String value) {
      String v = value.strip().replaceAll("\\s+", " ");
      return switch (type) {
        case PHONE, CREDIT_CARD, US_SSN, IBAN, ZIP_CODE -> v.replaceAll("[^0-9A-Za-z+]", "").toUpperCase(Locale.ROOT);
        case EMAIL, URL, IP_ADDRESS -> v.toLowerCase(Locale.ROOT);
        default -> v;
      };
    }

    @Override public String mode() { return "hash"; }
  }

  /** A record with any finding is dropped whole; one without is kept as it is. */
  record Drop() implements Redaction {
    @Override public Optional<String> apply(String text, List<Finding> findings) {
      return findings.isEmpty() ? Optional.of(text) : Optional.empty();
    }

    @Override public String mode() { return "drop"; }
  }

  private static String replace(String text, List<Finding> findings, java.util.function.Function<Finding, String> with) {
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (Finding f : findings) {
      if (f.start() < at) throw new IllegalArgumentException("findings overlap or are out of order at " + f.start());
      if (f.end() > text.length()) throw new IllegalArgumentException("finding [" + f.start() + ", " + f.end() + ") is outside the text");
      out.append(text, at, f.start()).append(with.apply(f));
      at = f.end();
    }
    return out.append(text, at, text.length()).toString();
  }
}
