package org.rlhf4j.privacy.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Phone numbers through Google's libphonenumber ({@link PhoneNumberUtil#findNumbers}): numbers written with a
 * {@code +} country code are found for any country; numbers in national format are found when they are valid
 * for one of {@code regions} (ISO 3166 codes; numbering plans differ, so a national number is only a phone
 * number relative to a country). A number valid for some region scores {@code 0.75}, with a context word
 * before it ("phone", "call", "fax", ...) {@code 0.9}. A number that is only possible (the right length for a
 * region but not in an assigned range, as fictitious numbers are) scores {@code 0.55}, with context {@code 0.8};
 * either way it has at least 7 digits and, unless a context word precedes it, is written like a phone number:
 * with a "+", or in digit groups with one separator between them.
 */
public record PhoneRecognizer(List<String> regions) implements Recognizer {
  /** Regions tried for national-format numbers: North America, most of Europe, and a few large plans. */
  public static final List<String> DEFAULT_REGIONS = List.of("US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "LU",
      "IT", "ES", "PT", "DK", "NO", "SE", "FI", "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "CY", "HR", "SI", "EE", "LV",
      "LT", "AU", "NZ", "BR", "IN", "IL", "UY");
  static final List<String> CONTEXT = List.of("phone", "tel", "call", "fax", "mobile", "cell", "contact", "number", "reach",
      "whatsapp", "sms", "text me", "dial", "answering", "office", "desk", "landline");
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final List<PhoneNumberUtil.Leniency> LENIENCIES = List.of(PhoneNumberUtil.Leniency.VALID, PhoneNumberUtil.Leniency.POSSIBLE);

  public PhoneRecognizer {
    regions = List.copyOf(regions);
    for (String r : regions) {
      if (!UTIL.getSupportedRegions().contains(r)) throw new IllegalArgumentException("unknown phone region '" + r + "'");
    }
  }

  public static PhoneRecognizer defaults() { return new PhoneRecognizer(DEFAULT_REGIONS); }

  @Override public String name() { return "phone"; }

  @Override public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    for (String region : regions) {
      for (PhoneNumberUtil.Leniency leniency : LENIENCIES) {
        for (PhoneNumberMatch m : UTIL.findNumbers(text, region, leniency, Long.MAX_VALUE)) {
          boolean context = hasContext(text, m.start());
          if (digits(m.rawString()) < 7 || !(context || grouped(m.rawString()))) continue;
          boolean valid = leniency == PhoneNumberUtil.Leniency.VALID;
          double c = valid ? (context ? 0.9 : 0.75) : (context ? 0.8 : 0.55);
          if (out.stream().anyMatch(f -> f.overlaps(new Finding(PiiType.PHONE, m.start(), m.end(), c, name())) && f.confidence() >= c)) continue;
          out.removeIf(f -> f.start() == m.start() && f.end() == m.end());
          out.add(new Finding(PiiType.PHONE, m.start(), m.end(), c, name()));
        }
      }
    }
    return out;
  }

  /** Written like a phone number: an international "+", or digit groups with one separator between them. */
  static boolean grouped(String raw) {
    return raw.startsWith("+") || raw.trim().matches("\\(?\\d+\\)?(?:(?:[ .-]|\\) ?)\\(?\\d+\\)?)+(?:\\s*(?:x|ext\\.?)\\s*\\d+)?");
  }

  static int digits(String raw) { return (int) raw.chars().filter(Character::isDigit).count(); }

  private static boolean hasContext(String text, int start) {
    String before = text.substring(Math.max(0, start - PatternRecognizer.CONTEXT_WINDOW), start).toLowerCase(Locale.ROOT);
    for (String w : CONTEXT) if (before.contains(w)) return true;
    return false;
  }
}
