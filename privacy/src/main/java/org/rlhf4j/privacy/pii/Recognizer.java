package org.rlhf4j.privacy.pii;

import java.util.List;

/** Finds one or more {@link PiiType}s in a text. Implementations are stateless and thread-safe. */
public interface Recognizer {
  /** The findings in {@code text}, in any order, possibly overlapping (the {@link PiiDetector} resolves overlaps). */
  List<Finding> find(String text);

  /** A short name reported with each finding. */
  String name();
}
