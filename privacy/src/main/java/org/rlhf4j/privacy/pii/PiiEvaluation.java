package org.rlhf4j.privacy.pii;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Precision, recall and F1 per entity of a {@link PiiDetector} against gold spans, at two granularities:
 * <ul>
 *   <li><b>token</b> (presidio-evaluator's default): every run of letters/digits is one token, labelled with the
 *       gold span and the finding that cover it; a token is a true positive when the finding's type is the one the
 *       gold entity maps to (or, for ADDRESS and LOCATION, either: a city inside an address is labelled both ways
 *       in the set).</li>
 *   <li><b>span</b>: a gold span is recalled when a finding of its type overlaps it; a finding is correct when it
 *       overlaps a gold span of its type.</li>
 * </ul>
 * Gold entities we do not detect (TITLE, AGE, NRP, US_DRIVER_LICENSE in Presidio's set) are left out: their tokens
 * count neither for nor against a finding.
 */
public final class PiiEvaluation {
  /** Presidio's entity names and ours. */
  public static final Map<String, PiiType> PRESIDIO_MAPPING = presidioMapping();
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");

  /** Counts for one of our types. */
  public record Score(int truePositives, int correctFindings, int falsePositives, int falseNegatives) {
    /** Correct findings over all findings (for tokens, correct findings are the true positives). */
    public double precision() {
      return correctFindings + falsePositives == 0 ? Double.NaN : correctFindings / (double) (correctFindings + falsePositives);
    }
    public double recall() { return truePositives + falseNegatives == 0 ? Double.NaN : truePositives / (double) (truePositives + falseNegatives); }
    public double f1() { double p = precision(); double r = recall(); return p + r == 0 ? 0 : 2 * p * r / (p + r); }
    Score plus(Score o) {
      return new Score(truePositives + o.truePositives, correctFindings + o.correctFindings, falsePositives + o.falsePositives,
          falseNegatives + o.falseNegatives);
    }
  }

  /** Per-type token and span scores plus the totals over all scored types. */
  public record Result(Map<PiiType, Score> tokens, Map<PiiType, Score> spans, Score tokenTotal, Score spanTotal, int texts,
      Map<String, Integer> unscoredGold) {}

  private PiiEvaluation() {}

  private static Map<String, PiiType> presidioMapping() {
    Map<String, PiiType> m = new LinkedHashMap<>();
    m.put("PERSON", PiiType.PERSON);
    m.put("STREET_ADDRESS", PiiType.ADDRESS);
    m.put("GPE", PiiType.LOCATION);
    m.put("ORGANIZATION", PiiType.ORGANIZATION);
    m.put("CREDIT_CARD", PiiType.CREDIT_CARD);
    m.put("DATE_TIME", PiiType.DATE);
    m.put("PHONE_NUMBER", PiiType.PHONE);
    m.put("EMAIL_ADDRESS", PiiType.EMAIL);
    m.put("ZIP_CODE", PiiType.ZIP_CODE);
    m.put("DOMAIN_NAME", PiiType.URL);
    m.put("IBAN_CODE", PiiType.IBAN);
    m.put("US_SSN", PiiType.US_SSN);
    m.put("IP_ADDRESS", PiiType.IP_ADDRESS);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** True when a finding of type {@code found} counts for gold type {@code gold}. */
  public static boolean compatible(PiiType gold, PiiType found) {
    if (gold == found) return true;
    Set<PiiType> place = Set.of(PiiType.ADDRESS, PiiType.LOCATION);
    return place.contains(gold) && place.contains(found);
  }

  public static Result evaluate(PiiDetector detector, List<PresidioSet.Sample> samples) {
    Map<PiiType, Score> tokens = new EnumMap<>(PiiType.class);
    Map<PiiType, Score> spans = new EnumMap<>(PiiType.class);
    Map<String, Integer> unscored = new java.util.TreeMap<>();
    for (PresidioSet.Sample s : samples) {
      List<Finding> found = detector.detect(s.text());
      List<PresidioSet.Span> gold = new ArrayList<>();
      List<PresidioSet.Span> ignored = new ArrayList<>();
      for (PresidioSet.Span g : s.spans()) {
        if (PRESIDIO_MAPPING.containsKey(g.entityType())) gold.add(g);
        else {
          ignored.add(g);
          unscored.merge(g.entityType(), 1, Integer::sum);
        }
      }
      scoreTokens(s.text(), gold, ignored, found, tokens);
      scoreSpans(gold, ignored, found, spans);
    }
    return new Result(tokens, spans, total(tokens), total(spans), samples.size(), unscored);
  }

  private static void scoreTokens(String text, List<PresidioSet.Span> gold, List<PresidioSet.Span> ignored, List<Finding> found,
      Map<PiiType, Score> out) {
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      int s = m.start();
      int e = m.end();
      PiiType g = null;
      for (PresidioSet.Span sp : gold) if (sp.start() < e && s < sp.end()) g = PRESIDIO_MAPPING.get(sp.entityType());
      PiiType f = null;
      for (Finding fi : found) if (fi.start() < e && s < fi.end()) f = fi.type();
      boolean isIgnored = g == null && ignored.stream().anyMatch(sp -> sp.start() < e && s < sp.end());
      if (isIgnored) continue;
      if (g != null && f != null && compatible(g, f)) add(out, g, new Score(1, 1, 0, 0));
      else {
        if (g != null) add(out, g, new Score(0, 0, 0, 1));
        if (f != null) add(out, f, new Score(0, 0, 1, 0));
      }
    }
  }

  private static void scoreSpans(List<PresidioSet.Span> gold, List<PresidioSet.Span> ignored, List<Finding> found, Map<PiiType, Score> out) {
    for (PresidioSet.Span g : gold) {
      PiiType t = PRESIDIO_MAPPING.get(g.entityType());
      boolean hit = found.stream().anyMatch(f -> f.start() < g.end() && g.start() < f.end() && compatible(t, f.type()));
      add(out, t, hit ? new Score(1, 0, 0, 0) : new Score(0, 0, 0, 1));
    }
    for (Finding f : found) {
      boolean right = gold.stream().anyMatch(g -> f.start() < g.end() && g.start() < f.end() && compatible(PRESIDIO_MAPPING.get(g.entityType()), f.type()));
      boolean onIgnored = ignored.stream().anyMatch(g -> f.start() < g.end() && g.start() < f.end());
      if (right) add(out, f.type(), new Score(0, 1, 0, 0));
      else if (!onIgnored) add(out, f.type(), new Score(0, 0, 1, 0));
    }
  }

  private static void add(Map<PiiType, Score> m, PiiType t, Score s) { m.merge(t, s, Score::plus); }

  private static Score total(Map<PiiType, Score> m) {
    Score t = new Score(0, 0, 0, 0);
    for (Score s : m.values()) t = t.plus(s);
    return t;
  }
}
