package org.rlhf4j.privacy.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses by rules (no statistical model knows house numbers): a street line ("24 Clarke Avenue",
 * "Koskikatu 25", "ul. Zamkowa 33", "4241 Steinfelden 73"), secondary units ("Apt. 864", "Suite 501"),
 * military addresses ("PSC 3294, Box 9168 / APO AA 61487"), street corners ("the corner of X and Y"); a
 * street line absorbs the units, city, region, country and postcode that follow on its own line ("…, Springfield,
 * IL 62704") and on the short lines below it, up to a blank line, a line that reads like a sentence, or where the
 * sentence goes on ("… Spain 97197 in case of an issue": the address ends at "97197").
 */
final class AddressRecognizer implements Recognizer {
  private static final String WORD = "[\\p{Lu}][\\p{L}'.-]*";
  private static final String ANY_WORD = "[\\p{L}][\\p{L}'.-]*";
  private static final String SUFFIX = "(?:Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Boulevard|Blvd\\.?|Court|Ct\\.?"
      + "|Way|Place|Pl\\.?|Square|Squares|Sq\\.?|Terrace|Parkway|Pkwy|Highway|Hwy|Crescent|Close|Gardens|Row|Mews|Walk|Grove"
      + "|Circle|Cir\\.?|Trail|Pass|Radial|Plaza|Alley|Hill|Park|Heights|Junction|Ridge|View|Vista|Green|Loop|Path|Pike|Run|Str\\.?)";
  /** Street-name endings and prefixes in the European languages a generated (Faker-style) address uses. */
  private static final String STREET_WORD = "(?:(?!(?i:during|spring|string|bring)\\b)[\\p{L}'-]*(?:katu|kuja|tie|polku|rinne|vej|veien|vegen|gade|gata|gatan|vägen|väg|"
      + "straße|strasse|str\\.|weg|laan|straat|plein|gracht|gasse|allee|platz|ring|tér|utca|út|kapu|sor|terrasse|tori|torget|vei|"
      + "ulica|aleja|náměstí|ulice|rruga|sokak|caddesi)|(?:ul\\.|Via|Viale|Rue|Calle|Avenida|Av\\.|Rua|Piazza|Corso|Plac|Aleja|Carrer|"
      + "Camino|Paseo|Largo|Travessa|Chemin|Boulevard|Place|Strada|Ulica|Odos|Leoforos)(?: " + ANY_WORD + "){1,3})";
  private static final String NUMBER = "\\d{1,6}[A-Za-z]?";
  private static final String UNIT = "(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|Flat|Floor|Fl\\.?|Room|Rm\\.?)\\s?#?\\d{1,6}[A-Za-z]?";
  private static final Pattern STREET = Pattern.compile(
      "(?<![\\w-])(?:(?:" + NUMBER + "\\s+){1,2}(?:" + WORD + "\\s+){0,4}" + SUFFIX + "(?![\\p{L}])"
          + "|(?:" + NUMBER + "\\s+)?" + STREET_WORD + "(?:\\s+" + ANY_WORD + "){0,2}\\s+\\d{1,4}[A-Za-z]?\\.?(?![\\w])"
          + "|(?:" + NUMBER + "\\s+)?(?:" + WORD + "\\s+){1,3}(?:u\\.|utca|út|krt\\.|tér)\\s+\\d{1,4}\\.?(?![\\w])"
          + "|" + NUMBER + "\\s+(?:" + WORD + "\\s+){1,3}\\d{1,4}\\.?(?![\\w])"
          + "|(?:" + NUMBER + "\\s+)?P\\.? ?O\\.? Box \\d{1,6}"
          + "|" + NUMBER + "\\s+(?:\\p{Ll}[\\p{Ll}'-]*\\s+){1,3}(?:street|avenue|road|drive|lane|boulevard)(?![\\p{L}])" // "3911 fourth avenue"
          + "|" + NUMBER + "\\s+(?:rue|avenue|calle|rua|avenida|chemin)(?:\\s+" + ANY_WORD + "){1,3}" // "26 rue des lieutemants Thomazo"
          + ")(?:,?\\s+(?i:" + UNIT + "))?");
  private static final Pattern UNIT_ALONE = Pattern.compile("(?<![\\w])" + UNIT + "(?![\\w])");
  private static final Pattern MILITARY = Pattern.compile(
      "(?<![\\w])(?:(?:PSC|Unit|CMR) \\d{3,5},? Box \\d{3,5}|(?:USNS|USNV|USS|USCGC) " + WORD + ")\\s*\\n?\\s*(?:APO|FPO|DPO) (?:AA|AE|AP) \\d{5}");
  private static final Pattern CORNER = Pattern.compile(
      "(?i:the corner of) ([^,;\\n]{3,60}?) and (" + WORD + "(?:\\s+(?:" + ANY_WORD + "|\\d{1,4}\\.?)){0,3})(?=[\\s,.;!?]|$)");
  /** One word of a city / region / country / postcode: capitalised (2+ letters), "(Greek)", a code, a unit. */
  private static final String PLACE_TOKEN = "(?:(?i:" + UNIT + ")|[\\p{Lu}][\\p{L}'-]+|\\([\\p{Lu}][\\p{L}'-]+\\)|\\d{3,6}(?:[ -]\\d{2,4})?(?![\\w-]))";
  /** The small words inside place names ("Mora de Rubielos", "Caxias do Sul"). */
  private static final String CONNECTOR = "(?:de|do|da|du|des|del|della|di|la|le|sur)";
  /** Up to five place tokens separated by blanks, connectors allowed between them. */
  private static final String SEGMENT = "(?:" + CONNECTOR + "[ \\t]+)?" + PLACE_TOKEN + "(?:[ \\t]+(?:" + CONNECTOR + "[ \\t]+)?" + PLACE_TOKEN + "){0,4}";
  /** The rest of a street's line: ", Mora de Rubielos, Spain 16200", " Suite 694 Valderice Trapani"; stops at prose. */
  private static final Pattern SAME_LINE = Pattern.compile("(?:(?:,[ \\t]*|[ \\t]+)" + SEGMENT + "){1,4}");
  /** A short line below a street line: city, ", CO", region, "Country 12345", a postcode alone. */
  private static final Pattern CONTINUATION = Pattern.compile("[ \\t>?]*(?:,\\s*)?[\\p{L}\\p{N}][\\p{L}\\p{N} .,'()-]{0,40}");
  /** The start of a line below a street line when the sentence goes on after it: "Spain 97197" of "Spain 97197 in …". */
  private static final Pattern LINE_START = Pattern.compile("[ \\t>?]*(?:,[ \\t]*)?" + SEGMENT + "(?:(?:,[ \\t]*|[ \\t]+)" + SEGMENT + "){0,3}");
  /** A line holding only a postal code: reported as ZIP_CODE, not as part of the address. */
  private static final Pattern CODE_LINE = Pattern.compile("[ \\t>?]*(\\d{3,6}(?:[ -]\\d{2,4})?)[ \\t]*");

  @Override public String name() { return "address"; }

  @Override public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    Matcher m = STREET.matcher(text);
    while (m.find()) {
      if (m.group().matches(".*\\b(?:Of|The|And|For|In|On)\\b.*")) continue; // "5 Musicians Of The 70s"
      Matcher rest = SAME_LINE.matcher(text).region(m.end(), text.length());
      int end = rest.lookingAt() ? rest.end() : m.end();
      out.add(new Finding(PiiType.ADDRESS, m.start(), extend(text, end, out), 0.85, name()));
    }
    for (Pattern p : List.of(MILITARY, CORNER)) {
      Matcher mm = p.matcher(text);
      while (mm.find()) out.add(new Finding(PiiType.ADDRESS, mm.start(), mm.end(), 0.9, name()));
    }
    Matcher u = UNIT_ALONE.matcher(text);
    while (u.find()) {
      Finding f = new Finding(PiiType.ADDRESS, u.start(), u.end(), 0.7, name());
      if (out.stream().noneMatch(f::overlaps)) out.add(f);
    }
    return out;
  }

  /**
   * Extends an address over the short lines that follow it (city, region, country), one blank line allowed;
   * a line holding only a postal code is added to {@code out} as a ZIP_CODE finding and ends the address.
   */
  static int extend(String text, int end, List<Finding> out) {
    int e = end; // the address so far
    int at = end; // where the next line search starts (past a blank line not yet part of the address)
    boolean blankSeen = false;
    for (int lines = 0; lines < 5; lines++) {
      int nl = at;
      while (nl < text.length() && (text.charAt(nl) == ' ' || text.charAt(nl) == '\t')) nl++;
      if (nl >= text.length() || text.charAt(nl) != '\n') break;
      int lineEnd = text.indexOf('\n', nl + 1);
      if (lineEnd < 0) lineEnd = text.length();
      String line = text.substring(nl + 1, lineEnd);
      if (line.isBlank() && !blankSeen && lines > 0) {
        blankSeen = true;
        at = nl + 1 + line.length();
        continue;
      }
      Matcher code = CODE_LINE.matcher(line);
      if (code.matches()) {
        out.add(new Finding(PiiType.ZIP_CODE, nl + 1 + code.start(1), nl + 1 + code.end(1), 0.85, "address"));
        break;
      }
      if (line.isBlank() || PhoneRecognizer.digits(line) >= 7 || (blankSeen && !Character.isUpperCase(line.strip().charAt(0)))) break;
      Matcher c = CONTINUATION.matcher(line);
      Matcher start = LINE_START.matcher(line);
      boolean placeFirst = start.lookingAt();
      boolean whole = c.lookingAt() && !line.matches(".*[:!?].*") && line.trim().split("\\s+").length <= 5
          && !(placeFirst && line.substring(start.end()).matches("[ \\t]+\\p{Ll}{2,}.*")); // "Canada 36523 last night"
      if (!whole) { // the sentence goes on after the place: the address ends there
        if (placeFirst) e = nl + 1 + trimEnd(line, start.end());
        break;
      }
      e = nl + 1 + trimEnd(line, c.end());
      at = e;
    }
    return e;
  }

  private static int trimEnd(String line, int end) {
    int e = end;
    while (e > 0 && " .,-(".indexOf(line.charAt(e - 1)) >= 0) e--;
    return e;
  }
}
