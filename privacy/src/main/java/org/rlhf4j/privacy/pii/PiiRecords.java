package org.rlhf4j.privacy.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.Text;
import org.rlhf4j.data.UnpairedExample;

/**
 * A {@link PiiPolicy} over training records (the {@code --pii} flag of the training commands): every text of a
 * record (prompt, responses, each chat message) is screened. REDACT rewrites the texts, or with {@link Redaction.Drop}
 * drops the record; REJECT throws {@link PiiRejectedException} at the first record with a finding, naming its index
 * and the types found (never the values); DETECT only counts.
 */
public final class PiiRecords {
  /** The records to train on and what screening found. */
  public record Screened<T>(List<T> records, PiiReport report) {}

  private PiiRecords() {}

  public static Screened<PreferencePair> preferences(List<PreferencePair> rows, PiiPolicy policy) {
    return screen(rows, policy, (p, f) -> new PreferencePair(content(p.prompt(), f), content(p.chosen(), f), content(p.rejected(), f),
        p.chosenProbability()));
  }

  public static Screened<PromptCompletion> promptCompletions(List<PromptCompletion> rows, PiiPolicy policy) {
    return screen(rows, policy, (p, f) -> new PromptCompletion(content(p.prompt(), f), content(p.completion(), f)));
  }

  public static Screened<UnpairedExample> unpaired(List<UnpairedExample> rows, PiiPolicy policy) {
    return screen(rows, policy, (p, f) -> new UnpairedExample(content(p.prompt(), f), content(p.completion(), f), p.desirable()));
  }

  public static Screened<Ranking> rankings(List<Ranking> rows, PiiPolicy policy) {
    return screen(rows, policy, (r, f) -> new Ranking(content(r.prompt(), f), r.bestFirst().stream().map(c -> content(c, f)).toList()));
  }

  /** Plain strings (prompts for PPO/GRPO, pre-training documents). */
  public static Screened<String> texts(List<String> rows, PiiPolicy policy) {
    return screen(rows, policy, (s, f) -> f.apply(s));
  }

  private static Content content(Content c, UnaryOperator<String> f) {
    if (c instanceof Chat ch) return new Chat(ch.messages().stream().map(m -> new Message(m.role(), f.apply(m.content()))).toList());
    return new Text(f.apply(((Text) c).text())); // Content is sealed: Text or Chat
  }

  private static <T> Screened<T> screen(List<T> rows, PiiPolicy policy, BiFunction<T, UnaryOperator<String>, T> map) {
    PiiReport report = new PiiReport();
    if (policy.action() == PiiPolicy.Action.OFF) return new Screened<>(rows, report);
    List<T> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<Finding> found = new ArrayList<>();
      PiiPolicy.Verdict[] worst = {PiiPolicy.Verdict.CLEAN};
      T mapped = map.apply(rows.get(i), s -> {
        PiiPolicy.Outcome o = policy.screen(s);
        found.addAll(o.findings());
        worst[0] = PiiReport.worse(worst[0], o.verdict());
        return o.text().orElse(s);
      });
      report.record(worst[0], found);
      if (worst[0] == PiiPolicy.Verdict.REJECTED) {
        throw new PiiRejectedException("record " + (i + 1) + " contains personal data (" + found.stream().map(f -> f.type().name())
            .distinct().sorted().collect(java.util.stream.Collectors.joining(", ")) + "); nothing was loaded");
      }
      if (worst[0] != PiiPolicy.Verdict.DROPPED) out.add(mapped);
    }
    return new Screened<>(List.copyOf(out), report);
  }
}
