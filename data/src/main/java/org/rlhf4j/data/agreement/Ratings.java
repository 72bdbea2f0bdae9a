package org.rlhf4j.data.agreement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An immutable units x raters table of ratings; a rater need not rate every unit (missing values allowed).
 * Units and raters keep the order in which they were first added.
 *
 * @param <V> the rating value (a category, a number, a ranking, ...); compared with {@code equals}
 */
public final class Ratings<V> {
  private final Map<String, Map<String, V>> byUnit;
  private final Set<String> raters;

  private Ratings(Map<String, Map<String, V>> byUnit, Set<String> raters) {
    this.byUnit = byUnit;
    this.raters = raters;
  }

  public static <V> Builder<V> builder() { return new Builder<>(); }

  /** The units, in insertion order. */
  public Set<String> units() { return Collections.unmodifiableSet(byUnit.keySet()); }

  /** The raters, in insertion order. */
  public Set<String> raters() { return Collections.unmodifiableSet(raters); }

  /** rater -> value for one unit (empty for an unknown unit). */
  public Map<String, V> ratingsOf(String unit) {
    Map<String, V> m = byUnit.get(unit);
    return m == null ? Map.of() : Collections.unmodifiableMap(m);
  }

  /** The value {@code rater} gave {@code unit}, or null when missing. */
  public V get(String unit, String rater) { return ratingsOf(unit).get(rater); }

  /** Total number of ratings in the table. */
  public int size() { return byUnit.values().stream().mapToInt(Map::size).sum(); }

  @Override public String toString() {
    return "Ratings[" + byUnit.size() + " units, " + raters.size() + " raters, " + size() + " ratings]";
  }

  /** Collects ratings; each (unit, rater) cell may be filled once. */
  public static final class Builder<V> {
    private final Map<String, Map<String, V>> byUnit = new LinkedHashMap<>();
    private final Set<String> raters = new LinkedHashSet<>();

    private Builder() {}

    public Builder<V> add(String unit, String rater, V value) {
      if (unit == null) throw new IllegalArgumentException("unit must not be null");
      if (rater == null) throw new IllegalArgumentException("rater must not be null (unit '" + unit + "')");
      if (value == null) throw new IllegalArgumentException("value must not be null (unit '" + unit + "', rater '" + rater + "'); omit missing ratings instead");
      Map<String, V> row = byUnit.computeIfAbsent(unit, u -> new LinkedHashMap<>());
      if (row.containsKey(rater)) {
        throw new IllegalArgumentException("rater '" + rater + "' already rated unit '" + unit + "'");
      }
      row.put(rater, value);
      raters.add(rater);
      return this;
    }

    public Ratings<V> build() {
      Map<String, Map<String, V>> copy = new LinkedHashMap<>();
      byUnit.forEach((u, row) -> copy.put(u, new LinkedHashMap<>(row)));
      return new Ratings<>(copy, new LinkedHashSet<>(raters));
    }
  }
}
