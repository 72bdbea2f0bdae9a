package org.rlhf4j.privacy.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regular-expression candidate finder with a validator (a checksum or a structural check) and context words
 * that raise the confidence when they occur shortly before the match (Presidio's recogniser shape). The
 * e-mail, card, IBAN, IP, URL, SSN, date and ZIP recognisers are instances of it; see {@link Recognizers}.
 */
record PatternRecognizer(String name, PiiType type, Pattern pattern, int group, Predicate<String> valid, double confidence,
    List<String> context, double contextConfidence) implements Recognizer {
  /** Characters before a match searched for a context word. */
  static final int CONTEXT_WINDOW = 40;

  PatternRecognizer {
    if (!(confidence >= 0 && confidence <= 1 && contextConfidence >= 0 && contextConfidence <= 1)) {
      throw new IllegalArgumentException(name + ": confidences must be in [0, 1]");
    }
    context = List.copyOf(context);
  }

  static PatternRecognizer of(String name, PiiType type, String regex, Predicate<String> valid, double confidence) {
    return new PatternRecognizer(name, type, Pattern.compile(regex), 0, valid, confidence, List.of(), confidence);
  }

  PatternRecognizer withContext(double contextConfidence, String... words) {
    return new PatternRecognizer(name, type, pattern, group, valid, confidence, List.of(words), contextConfidence);
  }

  PatternRecognizer group(int g) {
    return new PatternRecognizer(name, type, pattern, g, valid, confidence, context, contextConfidence);
  }

  @Override public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int s = m.start(group);
      int e = m.end(group);
      if (s < 0 || e <= s || !valid.test(text.substring(s, e))) continue;
      out.add(new Finding(type, s, e, hasContext(text, s) ? contextConfidence : confidence, name));
    }
    return out;
  }

  boolean hasContext(String text, int start) {
    if (context.isEmpty()) return false;
    String before = text.substring(Math.max(0, start - CONTEXT_WINDOW), start).toLowerCase(Locale.ROOT);
    for (String w : context) if (before.contains(w)) return true;
    return false;
  }
}
