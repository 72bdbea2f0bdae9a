package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.privacy.pii.PiiDetector;
import org.rlhf4j.privacy.pii.PiiEvaluation;
import org.rlhf4j.privacy.pii.PiiType;
import org.rlhf4j.privacy.pii.PresidioSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j pii eval}: per-entity precision / recall / F1 on a file in Presidio's span format. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Scores the PII detector on a labelled file in Presidio's format (JSON array of {full_text, spans: "
        + "[{entity_type, start_position, end_position}]}, e.g. presidio-research's synth_dataset_v2.json).",
        "Prints the entity-name mapping, then per entity token-level (presidio-evaluator's default) and span-level "
            + "precision, recall and F1. Gold entities without a counterpart (TITLE, AGE, NRP, ...) are not scored."})
public final class PiiEvalCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "The labelled file.") Path data;
  @Option(names = "--rules-only", description = "Without the statistical NER model (what a library user without CoreNLP gets).") boolean rulesOnly;
  @Option(names = "--json", description = "Print one JSON object instead of tables.") boolean json;

  @Override public Integer call() throws Exception {
    if (!Files.isRegularFile(data)) throw new UserError("--data: no such file " + data);
    List<PresidioSet.Sample> samples;
    try {
      samples = PresidioSet.read(data);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    PiiDetector detector = rulesOnly || !PiiDetector.nerAvailable() ? PiiDetector.rulesOnly() : PiiDetector.defaults();
    String ner = rulesOnly ? "off (--rules-only)" : PiiDetector.nerAvailable() ? "CoreNLP english.all.3class CRF" : "not on the classpath";
    PiiEvaluation.Result r = PiiEvaluation.evaluate(detector, samples);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("texts", r.texts());
      o.put("ner", ner);
      o.put("mapping", PiiEvaluation.PRESIDIO_MAPPING);
      o.put("unscored_gold", r.unscoredGold());
      Map<String, Object> per = new LinkedHashMap<>();
      for (PiiType t : PiiType.values()) {
        if (!r.tokens().containsKey(t) && !r.spans().containsKey(t)) continue;
        per.put(t.name(), Map.of("token", scores(r.tokens().get(t)), "span", scores(r.spans().get(t))));
      }
      o.put("entities", per);
      o.put("total", Map.of("token", scores(r.tokenTotal()), "span", scores(r.spanTotal())));
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
      return 0;
    }
    System.out.println("pii eval: " + r.texts() + " texts from " + data + "; NER: " + ner);
    System.out.println("entity mapping (Presidio -> rlhf4j; ADDRESS and LOCATION count for each other):");
    PiiEvaluation.PRESIDIO_MAPPING.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-16s -> %s%n", k, v));
    System.out.println("  not scored (no counterpart): " + r.unscoredGold());
    System.out.printf(Locale.ROOT, "%-13s %6s | %7s %7s %7s | %7s %7s %7s%n", "entity", "gold", "tok P", "tok R", "tok F1", "span P", "span R", "span F1");
    for (PiiType t : PiiType.values()) {
      PiiEvaluation.Score tk = r.tokens().get(t);
      PiiEvaluation.Score sp = r.spans().get(t);
      if (tk == null && sp == null) continue;
      System.out.println(row(t.name(), tk, sp));
    }
    System.out.println(row("all", r.tokenTotal(), r.spanTotal()));
    return 0;
  }

  private static String row(String name, PiiEvaluation.Score tk, PiiEvaluation.Score sp) {
    int gold = sp == null ? 0 : sp.truePositives() + sp.falseNegatives();
    return String.format(Locale.ROOT, "%-13s %6d | %s | %s", name, gold, triple(tk), triple(sp));
  }

  private static String triple(PiiEvaluation.Score s) {
    if (s == null) return String.format(Locale.ROOT, "%7s %7s %7s", "-", "-", "-");
    return String.format(Locale.ROOT, "%7.3f %7.3f %7.3f", s.precision(), s.recall(), s.f1());
  }

  private static Map<String, Object> scores(PiiEvaluation.Score s) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (s == null) return m;
    m.put("precision", finite(s.precision()));
    m.put("recall", finite(s.recall()));
    m.put("f1", finite(s.f1()));
    m.put("gold_matched", s.truePositives());
    m.put("gold_missed", s.falseNegatives());
    m.put("false_positives", s.falsePositives());
    return m;
  }

  private static Object finite(double v) { return Double.isFinite(v) ? v : null; }
}
