package org.rlhf4j.evaluation.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.evaluation.EvalSummary;
import org.rlhf4j.evaluation.Proportion;
import org.rlhf4j.evaluation.Stat;
import org.rlhf4j.evaluation.WinRate;
import org.rlhf4j.evaluation.doctor.Flag;

/** Ready-made tables for RLHF reports (map order kept). */
public final class Tables {
  private Tables() {}

  /** The run doctor's flags: kind, step and explanation ("none" row when healthy). */
  public static Table flags(List<Flag> flags) {
    List<List<Object>> rows = new ArrayList<>();
    for (Flag f : flags) rows.add(List.of(f.kind().name(), f.step(), f.explanation()));
    if (rows.isEmpty()) rows.add(List.of("none", "–", "No pathology detected."));
    return new Table("Run doctor", List.of("flag", "step", "explanation"), rows);
  }

  /** Win rate per method with its 95% interval. */
  public static Table winRates(String caption, Map<String, WinRate> byMethod) {
    List<List<Object>> rows = new ArrayList<>();
    byMethod.forEach((m, w) -> rows.add(List.of(m, w.rate(), w.lo(), w.hi(), w.n())));
    return new Table(caption, List.of("method", "win rate", "95% lo", "95% hi", "prompts"), rows);
  }

  /** Mean ± std of gold reward, proxy reward, KL and length per method. */
  public static Table summaries(Map<String, EvalSummary> byMethod) {
    List<List<Object>> rows = new ArrayList<>();
    byMethod.forEach((m, s) -> rows.add(List.of(m, pm(s.gold()), pm(s.proxy()), pm(s.kl()), pm(s.length()))));
    return new Table("Summary (mean ± std over prompts)",
        List.of("method", "gold reward", "proxy reward", "KL", "length"), rows);
  }

  /** Per method, family and flag: the rate with its Wilson 95% interval. */
  public static Table families(Map<String, EvalSummary> byMethod) {
    List<List<Object>> rows = new ArrayList<>();
    byMethod.forEach((m, s) -> s.families().forEach((family, flags) -> flags.forEach((flag, p) ->
        rows.add(List.of(m, family, flag, p.rate(), interval(p), p.n())))));
    return new Table("Behaviour by prompt family", List.of("method", "family", "flag", "rate", "95% interval", "prompts"), rows);
  }

  private static String pm(Stat s) {
    return s.n() == 0 ? "–" : Html.cell(s.mean()) + " ± " + Html.cell(s.std());
  }

  private static String interval(Proportion p) {
    return "[" + Html.cell(p.lo()) + ", " + Html.cell(p.hi()) + "]";
  }
}
