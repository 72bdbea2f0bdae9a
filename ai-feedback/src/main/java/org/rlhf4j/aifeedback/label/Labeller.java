package org.rlhf4j.aifeedback.label;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rlhf4j.aifeedback.AppendLog;
import org.rlhf4j.aifeedback.Work;
import org.rlhf4j.aifeedback.judge.Averaging;
import org.rlhf4j.aifeedback.judge.BothOrders;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.aifeedback.judge.Judge;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.format.DataFiles;

/**
 * RLAIF labelling: every pair goes to the judge in both orders ({@link BothOrders}); each becomes one line of a
 * preference file that {@code rlhf4j reward} and {@code rlhf4j dpo} read — {@code chosen} is the response the judge
 * prefers and {@code chosen_probability} its probability (a soft label) — plus an {@code "id"} and the judge's
 * answers under {@code "ai_feedback"} (both orders, the reference label when there was one). Resumable: rows already
 * in the output are skipped, new ones are appended a batch at a time as whole lines.
 */
public final class Labeller {
  public static final String FEEDBACK = "ai_feedback";

  /** Pairs per judge call (each is asked twice, so the judge sees twice as many comparisons) and how orders combine. */
  public record Options(int batchSize, Averaging averaging) {
    public Options {
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      java.util.Objects.requireNonNull(averaging, "averaging");
    }

    public static Options defaults() { return new Options(32, Averaging.PROBABILITY); }
  }

  private Labeller() {}

  /** Labels what {@code output} does not hold yet; returns the report over every row of {@code output}. */
  public static LabelReport run(Judge judge, PairSource source, Path output, Options opts) {
    BothOrders both = new BothOrders(judge, opts.averaging());
    try (AppendLog log = AppendLog.open(output)) {
      Set<String> done = log.ids();
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < source.size(); i++) if (!done.contains(source.id(i))) todo.add(i);
      int before = log.rows().size(), dropped = 0;
      try (Work work = Work.start("label", source.size(), source.size() - todo.size())) {
        for (int start = 0; start < todo.size(); start += opts.batchSize()) {
          List<Integer> chunk = todo.subList(start, Math.min(todo.size(), start + opts.batchSize()));
          List<LabelItem> items = source.items(chunk);
          dropped += chunk.size() - items.size();
          List<BothOrders.Debiased> answers = both.compareBoth(items.stream().map(LabelItem::comparison).toList());
          List<ObjectNode> rows = new ArrayList<>(items.size());
          for (int k = 0; k < items.size(); k++) rows.add(row(items.get(k), answers.get(k), judge.name()));
          log.append(rows);
          work.advance(chunk.size(), log.rows().size() + " rows");
        }
      }
      return LabelReport.of(log.rows(), log.rows().size() - before, dropped, judge.name());
    }
  }

  /** The preference record for one judged pair. */
  static ObjectNode row(LabelItem item, BothOrders.Debiased d, String judgeName) {
    Comparison c = item.comparison();
    double p = d.probabilityA();
    boolean aWins = p >= 0.5;
    Content a = side(c.prompt(), c.responseA()), b = side(c.prompt(), c.responseB());
    PreferencePair pair = new PreferencePair(c.prompt(), aWins ? a : b, aWins ? b : a, aWins ? p : 1 - p);
    ObjectNode o = DataFiles.toJson(pair);
    o.put(AppendLog.ID, item.id());
    ObjectNode f = o.putObject(FEEDBACK);
    f.put("judge", judgeName);
    f.put("probability_a", p);
    f.put("first_order", d.firstOrder());
    f.put("second_order", d.secondOrder());
    f.put("chosen_is_a", aWins);
    if (item.referenceA() != null) f.put("reference_probability_a", item.referenceA());
    if (item.principle() != null) f.put("principle", item.principle());
    if (!c.criterion().isEmpty()) f.put("criterion", c.criterion());
    if (!Double.isNaN(d.verdict().optionMass())) f.put("option_mass", d.verdict().optionMass());
    if (d.verdict().hasRationale()) f.put("rationale", d.verdict().rationale());
    return o;
  }

  /** A response as the prompt's kind of content: an assistant message for conversations, text otherwise. */
  static Content side(Content prompt, String response) {
    return prompt instanceof Chat ? Chat.of(Message.assistant(response)) : Content.text(response);
  }
}
