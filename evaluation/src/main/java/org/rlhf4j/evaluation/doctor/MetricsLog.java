package org.rlhf4j.evaluation.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A whole {@code metrics.jsonl} in memory, for charts: one row per line, columns by metric name (NaN where a line
 * lacks the metric). Same format and errors as {@link RunDoctor#examine}.
 */
public final class MetricsLog {
  /** One line: its step and numeric metrics. */
  public record Row(long step, Map<String, Double> metrics) {
    public Row {
      metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(metrics, "metrics")));
    }
  }

  private final List<Row> rows;

  public MetricsLog(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  /** Reads the file; malformed lines raise IllegalArgumentException naming file and line. */
  public static MetricsLog read(Path metricsJsonl) {
    List<Row> rows = new ArrayList<>();
    MetricsJsonl.forEach(metricsJsonl, (step, m) -> rows.add(new Row(step, m)));
    return new MetricsLog(rows);
  }

  public List<Row> rows() {
    return rows;
  }

  /** Metric names in order of first appearance. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.addAll(r.metrics().keySet()));
    return names;
  }

  public double[] steps() {
    return rows.stream().mapToDouble(Row::step).toArray();
  }

  /** Values of {@code name} per row, NaN where absent. */
  public double[] column(String name) {
    return rows.stream().mapToDouble(r -> r.metrics().getOrDefault(name, Double.NaN)).toArray();
  }

  /** The first of {@code names} present in any row (e.g. {@link MetricNames#KL}), or null. */
  public String firstPresent(List<String> names) {
    Set<String> present = names();
    return names.stream().filter(present::contains).findFirst().orElse(null);
  }

  /** Feeds every row to a new doctor and returns its flags. */
  public List<Flag> diagnose(DoctorConfig c) {
    RunDoctor doctor = new RunDoctor(c);
    rows.forEach(r -> doctor.observe(r.step(), r.metrics()));
    return doctor.flags();
  }
}
