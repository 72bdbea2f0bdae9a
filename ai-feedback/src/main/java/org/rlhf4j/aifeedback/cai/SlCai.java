package org.rlhf4j.aifeedback.cai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rlhf4j.aifeedback.AppendLog;
import org.rlhf4j.aifeedback.Work;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;

/**
 * Writes SL-CAI's training data: one line per prompt, {@code {prompt, completion}} with the final revision as the
 * completion (what {@code rlhf4j sft} reads), an {@code "id"}, and the whole history under {@code "cai"}. Resumable:
 * prompts already in the output are skipped; each batch is appended as whole lines.
 */
public final class SlCai {
  public static final String HISTORY = "cai";

  /** Rows in the output, rows this run added, and how many final revisions differ from the first response. */
  public record Summary(int rows, int added, int changed) {}

  private SlCai() {}

  /** Prompts get ids "prompt-&lt;index&gt;". {@code initial} may be null (the model writes the first responses). */
  public static Summary run(CritiqueReviser reviser, List<Content> prompts, List<String> initial, Path output, int batchSize) {
    try (AppendLog log = AppendLog.open(output)) {
      Set<String> done = log.ids();
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) if (!done.contains(id(i))) todo.add(i);
      int before = log.rows().size();
      try (Work work = Work.start("critique-revise", prompts.size(), prompts.size() - todo.size())) {
        for (int start = 0; start < todo.size(); start += batchSize) {
          List<Integer> chunk = todo.subList(start, Math.min(todo.size(), start + batchSize));
          List<CritiqueReviser.Trace> traces = reviser.run(chunk.stream().map(SlCai::id).toList(), chunk.stream().map(prompts::get).toList(),
              initial == null ? null : chunk.stream().map(initial::get).toList());
          log.append(traces.stream().map(SlCai::row).toList());
          work.advance(chunk.size(), log.rows().size() + " rows");
        }
      }
      int changed = 0;
      for (var row : log.rows()) changed += row.path(HISTORY).path("changed").asBoolean(false) ? 1 : 0;
      return new Summary(log.rows().size(), log.rows().size() - before, changed);
    }
  }

  static String id(int index) { return "prompt-" + index; }

  static ObjectNode row(CritiqueReviser.Trace t) {
    Content completion = t.prompt() instanceof Chat ? Chat.of(Message.assistant(t.revised())) : Content.text(t.revised());
    ObjectNode o = DataFiles.toJson(new PromptCompletion(t.prompt(), completion));
    o.put(AppendLog.ID, t.id());
    ObjectNode h = o.putObject(HISTORY);
    h.put("initial", t.initial());
    h.put("changed", !t.revised().equals(t.initial()));
    ArrayNode rounds = h.putArray("rounds");
    for (CritiqueReviser.Round r : t.rounds()) rounds.addObject().put("principle", r.principle()).put("critique", r.critique()).put("revision", r.revision());
    return o;
  }
}
