package org.rlhf4j.privacy.pii;

import java.util.List;
import java.util.regex.Pattern;

/** The pattern recognisers, one factory method per type. Confidences follow Presidio's scale. */
public final class Recognizers {
  private Recognizers() {}

  /** All rule-based recognisers (everything but the statistical NER). */
  public static List<Recognizer> rules() {
    return List.of(email(), PhoneRecognizer.defaults(), creditCard(), iban(), ipv4(), ipv6(), url(), ssn(), date(), year(),
        weekday(), zipAfterKeyword(), zipAfterState(), new AddressRecognizer(), new NameContextRecognizer(), organizationSuffix(),
        partnership());
  }

  /** Local part, @, domain with a 2-24 letter top-level domain. */
  public static Recognizer email() {
    return PatternRecognizer.of("email", PiiType.EMAIL,
        "(?<![\\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-])",
        s -> !s.contains(".."), 0.95);
  }

  /** 12-19 digits, optionally grouped by spaces or dashes, passing Luhn and starting like an issuer range (1-6, as Presidio). */
  public static Recognizer creditCard() {
    return PatternRecognizer.of("credit_card", PiiType.CREDIT_CARD, "(?<![\\d-])[1-6]\\d{3}(?:[ -]?\\d){8,15}(?![\\d-])",
        s -> Checksums.luhn(s.replaceAll("[ -]", "")), 1.0);
  }

  /** Two letters, two check digits, 11-30 alphanumerics (compact, or in space-separated groups of four), passing MOD 97-10. */
  public static Recognizer iban() {
    return PatternRecognizer.of("iban", PiiType.IBAN,
        "(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?:[A-Za-z0-9]{11,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,4})?)(?![A-Za-z0-9])",
        Checksums::ibanMod97, 1.0);
  }

  public static Recognizer ipv4() {
    String octet = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    return PatternRecognizer.of("ipv4", PiiType.IP_ADDRESS, "(?<![\\d.])" + octet + "(?:\\." + octet + "){3}(?![\\d.]*\\d)",
        s -> true, 0.85);
  }

  /** Candidate hex-and-colon runs, validated by {@link #isIpv6}. */
  public static Recognizer ipv6() {
    return PatternRecognizer.of("ipv6", PiiType.IP_ADDRESS, "(?<![\\w:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![\\w:])",
        Recognizers::isIpv6, 0.85);
  }

  /** RFC 4291 text form: eight 1-4 digit hex groups, one {@code ::} standing for one or more zero groups. */
  static boolean isIpv6(String s) {
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) return false;
    String[] parts = dc >= 0 ? new String[] {s.substring(0, dc), s.substring(dc + 2)} : new String[] {s};
    int groups = 0;
    for (String p : parts) {
      if (p.isEmpty()) continue;
      for (String g : p.split(":", -1)) {
        if (!g.matches("[0-9A-Fa-f]{1,4}")) return false;
        groups++;
      }
    }
    return dc >= 0 ? groups <= 7 : groups == 8;
  }

  /** URLs with a scheme, and bare domains {@code www.x.y} or {@code x.tld} for a common or two-letter country TLD. */
  public static Recognizer url() {
    return PatternRecognizer.of("url", PiiType.URL,
        "(?i)(?<![\\w@.-])(?:(?:https?|ftp)://[^\\s<>\"']+[^\\s<>\"'.,;:!?)]|(?:www\\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+"
            + "(?:com|org|net|edu|gov|info|io|biz|app|dev|[a-z]{2})(?:/[^\\s<>\"']*[^\\s<>\"'.,;:!?)])?)(?![\\w@-])",
        s -> s.contains("/") || s.toLowerCase(java.util.Locale.ROOT).startsWith("www.") || !s.matches("(?i)[a-z]+\\.[a-z]{2}"), 0.6)
        .withContext(0.85, "website", "site", "url", "visit", "link", "http", "domain", "homepage");
  }

  /**
   * US social security numbers {@code AAA-GG-SSSS} (dashes or spaces), excluding the never-issued area numbers
   * 000, 666 and 900-999, group 00 and serial 0000 (SSA rules, as Presidio).
   */
  public static Recognizer ssn() {
    return PatternRecognizer.of("us_ssn", PiiType.US_SSN, "(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])",
        Recognizers::validSsn, 0.8).withContext(0.95, "ssn", "social security", "social", "ss#", "ss #");
  }

  static boolean validSsn(String s) {
    String d = s.replaceAll("[- ]", "");
    String area = d.substring(0, 3);
    return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9' && !d.startsWith("00", 3) && !d.endsWith("0000");
  }

  /** Calendar dates: ISO (with an optional time), d/m/y and m/d/y, and month names in either order. */
  public static Recognizer date() {
    String month = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?"
        + "|Nov(?:ember)?|Dec(?:ember)?)\\.?";
    return PatternRecognizer.of("date", PiiType.DATE, "(?<![\\w/.-])(?:"
        + "(?:19|20)\\d\\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?:[ T](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?)?"
        + "|(?:0?[1-9]|[12]\\d|3[01])[/.-](?:0?[1-9]|[12]\\d|3[01])[/.-](?:19|20)?\\d\\d"
        + "|" + month + " (?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?,? (?:19|20)\\d\\d"
        + "|(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)? (?:of )?" + month + ",? (?:19|20)\\d\\d"
        + "|" + month + " (?:19|20)\\d\\d"
        + ")(?![\\w/-])", s -> true, 0.8);
  }

  /** A bare year 1900-2099: weak alone, stronger after "in", "since", "born", ... */
  public static Recognizer year() {
    return PatternRecognizer.of("year", PiiType.DATE, "(?<![\\w.,-])(?:19|20)\\d\\d(?![\\w.,-]?\\d)", s -> true, 0.5)
        .withContext(0.6, "in ", "since", "during", "born", "year", "founded", "from ", "until", "till", "date", "on ");
  }

  /** Day names (Presidio's set labels them DATE_TIME). */
  public static Recognizer weekday() {
    return PatternRecognizer.of("weekday", PiiType.DATE, "\\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\\b",
        s -> true, 0.6);
  }

  /** Any short postal code right after "zip", "postal code", "postcode" (the word says what it is). */
  public static Recognizer zipAfterKeyword() {
    return PatternRecognizer.of("zip", PiiType.ZIP_CODE,
        "(?i)(?:zip(?: ?code)?|postal ?code|post ?code|postcode|plz)(?: is)?\\s*[:#]?\\s*([A-Z0-9]{2,5}(?:[ -][A-Z0-9]{2,4})?)(?![\\w-])",
        s -> s.chars().anyMatch(Character::isDigit), 0.85).group(1);
  }

  /** A US ZIP / ZIP+4 after a state code ("Springfield, IL 62704"). */
  public static Recognizer zipAfterState() {
    return PatternRecognizer.of("zip_state", PiiType.ZIP_CODE,
        "\\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]),? "
            + "(\\d{5}(?:-\\d{4})?)(?![\\w-])", s -> true, 0.7).group(1);
  }

  /** Organisations named with a legal-form suffix ("Acme Corp", "Davis, Reynolds and Williamson LLC"). */
  public static Recognizer organizationSuffix() {
    return PatternRecognizer.of("org_suffix", PiiType.ORGANIZATION,
        "\\b(?:[\\p{Lu}][\\p{L}&'-]+,? (?:and |& )?){1,5}(?:Inc|Ltd|LLC|LLP|PLC|GmbH|AG|S\\.A|SA|SE|Corp|Corporation|Company|Co|Group"
            + "|Holdings|Technologies|Systems|Solutions|Labs|Partners|Associates|Foundation|University|Bank)\\b\\.?",
        s -> true, 0.7);
  }

  /** Partnerships named after their partners: "Davis, Reynolds and Williamson", "Smith &amp; Jones". */
  public static Recognizer partnership() {
    return PatternRecognizer.of("org_partners", PiiType.ORGANIZATION,
        "(?<![\\p{L}])[\\p{Lu}][\\p{Ll}'-]+, [\\p{Lu}][\\p{Ll}'-]+,? (?:and|&) [\\p{Lu}][\\p{Ll}'-]+(?![\\p{L}])", s -> true, 0.7);
  }
}
