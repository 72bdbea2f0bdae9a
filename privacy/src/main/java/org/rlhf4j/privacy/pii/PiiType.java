package org.rlhf4j.privacy.pii;

import java.util.Locale;

/** The kinds of personal data the recognisers find; each has the placeholder that mask mode writes. */
public enum PiiType {
  EMAIL, PHONE, CREDIT_CARD, IBAN, IP_ADDRESS, URL, US_SSN, DATE, ZIP_CODE, PERSON, ADDRESS, LOCATION, ORGANIZATION;

  /** The mask-mode placeholder, e.g. {@code <EMAIL>}. */
  public String placeholder() { return "<" + name() + ">"; }

  /** Parses a name case-insensitively ({@code email}, {@code EMAIL}); a one-line error lists the known names. */
  public static PiiType parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown PII type '" + s + "' (known: " + java.util.Arrays.toString(values()) + ")");
    }
  }
}
