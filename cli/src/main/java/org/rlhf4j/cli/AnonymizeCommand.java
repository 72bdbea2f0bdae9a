package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.privacy.anon.AnonymityConfig;
import org.rlhf4j.privacy.anon.Anonymizer;
import org.rlhf4j.privacy.anon.Hierarchies;
import org.rlhf4j.privacy.anon.Hierarchy;
import org.rlhf4j.privacy.anon.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j anonymize}: k-anonymity (+ l-diversity, t-closeness) of a CSV table by generalisation and suppression. */
@Command(name = "anonymize", mixinStandardHelpOptions = true,
    description = {"Writes --out: --in generalised over the quasi-identifiers (--quasi) until every equivalence class has at "
        + "least --k rows (and --l distinct / t-close values of --sensitive), rows of the classes that still fail suppressed "
        + "(at most --max-suppression of them). Of all generalisations allowed by --hierarchies (YAML/JSON; see "
        + "privacy/README.md) the one of least information loss (mean NCP) is chosen.",
        "--in is comma-separated with a header row, or give --columns; UCI Adult's adult.data / adult.test get their 15 names."})
public final class AnonymizeCommand implements Callable<Integer> {
  static final List<String> ADULT = List.of("age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
      "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income");

  @Option(names = "--in", required = true, description = "Input table (CSV).") Path in;
  @Option(names = "--out", required = true, description = "Output table (CSV with a header).") Path out;
  @Option(names = "--quasi", required = true, split = ",", description = "Quasi-identifier columns.") List<String> quasi;
  @Option(names = "--k", required = true, description = "Minimum equivalence-class size.") int k;
  @Option(names = "--l", defaultValue = "1", description = "Distinct sensitive values per class (default 1: off).") int l;
  @Option(names = "--t", defaultValue = "1", description = "t-closeness bound on each class's sensitive distribution (default 1: off).") double t;
  @Option(names = "--sensitive", description = "The sensitive column (for --l / --t).") String sensitive;
  @Option(names = "--hierarchies", description = "YAML/JSON generalisation hierarchies (default: every QI kept or *).") Path hierarchies;
  @Option(names = "--max-suppression", defaultValue = "0.05", description = "Largest fraction of rows suppressed (default ${DEFAULT-VALUE}).") double maxSuppression;
  @Option(names = "--columns", split = ",", description = "Column names of a file without a header row.") List<String> columns;
  @Option(names = "--json", description = "Print the report as JSON.") boolean json;

  @Override public Integer call() throws Exception {
    Anonymizer.Result r;
    try {
      AnonymityConfig cfg = new AnonymityConfig(quasi, sensitive, k, l, t, maxSuppression);
      String name = in.getFileName().toString();
      List<String> names = columns != null ? columns : name.equals("adult.data") || name.equals("adult.test") ? ADULT : null;
      Table table = Table.read(in, names);
      if (sensitive != null) table.index(sensitive);
      Map<String, Hierarchy> hs = Hierarchies.read(hierarchies, table, quasi);
      r = Anonymizer.anonymize(table, hs, cfg);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    r.table().write(out);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("rows", r.rows());
    o.put("suppressed", r.suppressed());
    o.put("suppressed_fraction", r.suppressedFraction());
    o.put("classes", r.classes());
    o.put("min_class_size", r.minClassSize());
    if (sensitive != null) {
      o.put("min_distinct_sensitive", r.minDistinctSensitive());
      o.put("max_t_closeness", r.maxTCloseness());
    }
    o.put("levels", r.levels());
    o.put("ncp", r.ncp());
    o.put("discernibility", r.discernibility());
    o.put("nodes_evaluated", r.nodesEvaluated());
    o.put("out", out.toString());
    if (json) {
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
    } else {
      System.out.printf(Locale.ROOT, "anonymize: k = %d%s: %d classes (smallest %d), %d of %d rows suppressed (%.2f%%), "
          + "information loss NCP %.4f, discernibility %d; levels %s (%d generalisations tried); wrote %s%n", k,
          sensitive == null ? "" : ", l = " + l + (t < 1 ? ", t = " + t : "") + " on " + sensitive, r.classes(), r.minClassSize(),
          r.suppressed(), r.rows(), 100 * r.suppressedFraction(), r.ncp(), r.discernibility(), r.levels(), r.nodesEvaluated(), out);
    }
    return 0;
  }
}
