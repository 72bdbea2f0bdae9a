package org.rlhf4j.privacy.pii;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What screening a dataset found: records seen / flagged / redacted / dropped, and findings per type. Not thread-safe. */
public final class PiiReport {
  private int records;
  private int flagged;
  private int redacted;
  private int dropped;
  private final Map<PiiType, Integer> byType = new EnumMap<>(PiiType.class);

  /** Counts one record whose texts gave {@code outcomes}' worst verdict. */
  void record(PiiPolicy.Verdict worst, Iterable<Finding> findings) {
    records++;
    switch (worst) {
      case FLAGGED -> flagged++;
      case REDACTED -> redacted++;
      case DROPPED, REJECTED -> dropped++;
      case CLEAN -> { }
    }
    for (Finding f : findings) byType.merge(f.type(), 1, Integer::sum);
  }

  public int records() { return records; }
  public int flagged() { return flagged; }
  public int redacted() { return redacted; }
  public int dropped() { return dropped; }
  public Map<PiiType, Integer> findingsByType() { return Map.copyOf(byType); }
  public int findings() { return byType.values().stream().mapToInt(Integer::intValue).sum(); }

  /** One line: "1500 records, 1387 with PII (2630 findings: PERSON 812, ...), 1387 redacted, 0 dropped". */
  public String summary() {
    String types = byType.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    return records + " records, " + (flagged + redacted + dropped) + " with PII (" + findings() + " findings" + (types.isEmpty() ? "" : ": " + types)
        + "), " + redacted + " redacted, " + dropped + " dropped";
  }

  /** For JSON output. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", records);
    m.put("flagged", flagged);
    m.put("redacted", redacted);
    m.put("dropped", dropped);
    Map<String, Integer> t = new LinkedHashMap<>();
    byType.forEach((k, v) -> t.put(k.name(), v));
    m.put("findings", t);
    return m;
  }

  static PiiPolicy.Verdict worse(PiiPolicy.Verdict a, PiiPolicy.Verdict b) { return a.ordinal() >= b.ordinal() ? a : b; }
}
