package org.rlhf4j.privacy.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The recognisers together: {@link #detect} runs each and resolves overlaps, keeping the most confident
 * finding (then the longest) and dropping every finding that overlaps one already kept, so the result is
 * a list of disjoint spans in text order, ready for redaction. Thread-safe.
 */
public final class PiiDetector {
  private final List<Recognizer> recognizers;
  private final Set<PiiType> types;
  private final double minConfidence;

  private PiiDetector(List<Recognizer> recognizers, Set<PiiType> types, double minConfidence) {
    if (!(minConfidence >= 0 && minConfidence <= 1)) throw new IllegalArgumentException("minConfidence must be in [0, 1], got " + minConfidence);
    if (types.isEmpty()) throw new IllegalArgumentException("no PII types to detect");
    this.recognizers = List.copyOf(recognizers);
    this.types = EnumSet.copyOf(types);
    this.minConfidence = minConfidence;
  }

  /** Every recogniser, the NER model included when it is on the classpath; findings of confidence >= 0.5. */
  public static PiiDetector defaults() {
    return new PiiDetector(recognizers(true), EnumSet.allOf(PiiType.class), 0.5);
  }

  /** The rule-based recognisers only (no statistical model): what a library user without CoreNLP gets. */
  public static PiiDetector rulesOnly() {
    return new PiiDetector(recognizers(false), EnumSet.allOf(PiiType.class), 0.5);
  }

  /** True when the statistical NER (CoreNLP) is on the classpath, so {@link #defaults} uses it. */
  public static boolean nerAvailable() { return NerRecognizer.available(); }

  private static List<Recognizer> recognizers(boolean ner) {
    List<Recognizer> all = new ArrayList<>(Recognizers.rules());
    if (ner && NerRecognizer.available()) all.add(new NerRecognizer());
    return all;
  }

  /** The same recognisers reporting only {@code only}. */
  public PiiDetector only(Set<PiiType> only) { return new PiiDetector(recognizers, only, minConfidence); }

  /** The same recognisers keeping findings of at least {@code min} confidence. */
  public PiiDetector minConfidence(double min) { return new PiiDetector(recognizers, types, min); }

  /** Disjoint findings in text order. */
  public List<Finding> detect(String text) {
    if (text == null || text.isEmpty()) return List.of();
    List<Finding> all = new ArrayList<>();
    for (Recognizer r : recognizers) {
      for (Finding f : r.find(text)) if (types.contains(f.type()) && f.confidence() >= minConfidence) all.add(f);
    }
    all.sort(Comparator.comparingDouble(Finding::confidence).reversed().thenComparing(Comparator.comparingInt(Finding::length).reversed())
        .thenComparingInt(Finding::start));
    List<Finding> kept = new ArrayList<>();
    for (Finding f : all) if (kept.stream().noneMatch(f::overlaps)) kept.add(f);
    kept.sort(Comparator.comparingInt(Finding::start));
    return kept;
  }
}
