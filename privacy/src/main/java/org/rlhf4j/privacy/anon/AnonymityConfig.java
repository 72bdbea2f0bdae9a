package org.rlhf4j.privacy.anon;

import java.util.List;

/**
 * What to reach: k-anonymity over {@code quasi}; distinct l-diversity and t-closeness (equal-distance EMD) of
 * {@code sensitive} when l > 1 / t < 1; at most {@code maxSuppression} of the rows suppressed.
 */
public record AnonymityConfig(List<String> quasi, String sensitive, int k, int l, double t, double maxSuppression) {
  public AnonymityConfig {
    if (quasi == null || quasi.isEmpty()) throw new IllegalArgumentException("give at least one quasi-identifier (--quasi)");
    quasi = List.copyOf(quasi);
    if (quasi.stream().distinct().count() != quasi.size()) throw new IllegalArgumentException("quasi-identifiers repeat: " + quasi);
    if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
    if (l < 1) throw new IllegalArgumentException("l must be >= 1, got " + l);
    if (!(t > 0 && t <= 1)) throw new IllegalArgumentException("t must be in (0, 1], got " + t);
    if ((l > 1 || t < 1) && sensitive == null) throw new IllegalArgumentException("l-diversity and t-closeness need a sensitive column (--sensitive)");
    if (sensitive != null && quasi.contains(sensitive)) throw new IllegalArgumentException("the sensitive column '" + sensitive + "' is also a quasi-identifier");
    if (!(maxSuppression >= 0 && maxSuppression < 1)) throw new IllegalArgumentException("max suppression must be in [0, 1), got " + maxSuppression);
  }
}
