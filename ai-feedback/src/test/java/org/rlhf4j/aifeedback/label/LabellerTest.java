package org.rlhf4j.aifeedback.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.aifeedback.judge.Judge;
import org.rlhf4j.aifeedback.judge.JudgeException;
import org.rlhf4j.aifeedback.judge.JudgeTemplate;
import org.rlhf4j.aifeedback.judge.OpenAiJudge;
import org.rlhf4j.aifeedback.judge.StubServer;
import org.rlhf4j.aifeedback.judge.Verdict;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.format.DataFiles;

/** RLAIF labelling: soft-label preference files, agreement with reference labels, resuming, nothing half written. */
class LabellerTest {
  @TempDir Path dir;

  /** Scores responses by length ("longer is better"), prefers the first position by 0.1, and counts comparisons. */
  static final class LengthJudge implements Judge {
    final AtomicInteger compared = new AtomicInteger();
    final int failAfterCalls;
    int calls;

    LengthJudge(int failAfterCalls) { this.failAfterCalls = failAfterCalls; }

    @Override public List<Verdict> compare(List<Comparison> items) {
      if (++calls > failAfterCalls) throw new JudgeException("judge went away");
      compared.addAndGet(items.size());
      return items.stream().map(c -> Verdict.of(Math.min(1, Math.max(0,
          0.5 + 0.1 * Math.signum(c.responseA().length() - c.responseB().length()) + 0.1)))).toList();
    }

    @Override public String name() { return "length"; }
  }

  /** Ten labelled pairs: the reference prefers the longer response on 0..6, the shorter on 7..9 (soft on 0). */
  static List<PreferencePair> reference() {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String longer = "a long answer " + i, shorter = "short " + i;
      pairs.add(i < 7 ? new PreferencePair(Content.text("q" + i), Content.text(longer), Content.text(shorter), i == 0 ? 0.8 : 1.0)
          : PreferencePair.of(Content.text("q" + i), Content.text(shorter), Content.text(longer)));
    }
    return pairs;
  }

  @Test
  void writesSoftLabelsTheRewardAndDpoReadersLoadAndMeasuresAgreement() throws Exception {
    Path out = dir.resolve("labels.jsonl");
    LabelReport r = Labeller.run(new LengthJudge(99), PairSource.labelled(reference()), out, new Labeller.Options(4, org.rlhf4j.aifeedback.judge.Averaging.PROBABILITY));
    List<PreferencePair> read = DataFiles.readPreferences(out);
    assertThat(read).hasSize(10);
    for (int i = 0; i < 10; i++) {
      // Both orders: first 0.5 + 0.1 + 0.1 = 0.7 for the longer; second order 1 - (0.5 - 0.1 + 0.1) = 0.5 -> 0.6.
      assertThat(read.get(i).chosen()).isEqualTo(Content.text("a long answer " + i));
      assertThat(read.get(i).chosenProbability()).isCloseTo(0.6, within(1e-12));
    }
    // Agreement with the reference: 7 of 10; kappa by hand: judge always "longer" -> p_e = 0.7 * ... (see below).
    assertThat(r.agreement().n()).isEqualTo(10);
    assertThat(r.agreement().raw()).isCloseTo(0.7, within(1e-12));
    // Judge: A on 0..6 (A = chosen = longer), B on 7..9; reference: A everywhere. p_o = 0.7, p_e = 0.7 * 1 = 0.7 -> kappa 0.
    assertThat(r.agreement().cohenKappa()).isCloseTo(0.0, within(1e-12));
    assertThat(r.positionBias().meanShift()).isCloseTo(0.1, within(1e-12));
    assertThat(r.meanConfidence()).isCloseTo(0.6, within(1e-12));
    JsonNode row = new ObjectMapper().readTree(Files.readAllLines(out).get(7));
    assertThat(row.get("id").asText()).isEqualTo("pair-7");
    assertThat(row.at("/ai_feedback/reference_probability_a").asDouble()).isEqualTo(1.0);
    assertThat(row.at("/ai_feedback/chosen_is_a").asBoolean()).isFalse();
    assertThat(row.at("/ai_feedback/first_order").asDouble()).isCloseTo(0.5, within(1e-12)); // shorter first: 0.5 - 0.1 + 0.1
  }

  @Test
  void aRunThatDiesLeavesWholeRowsAndTheNextRunFinishesWithoutRepeating() throws Exception {
    Path out = dir.resolve("labels.jsonl");
    LengthJudge dying = new LengthJudge(2); // two batches of 3, then it fails
    assertThatThrownBy(() -> Labeller.run(dying, PairSource.labelled(reference()), out, new Labeller.Options(3,
        org.rlhf4j.aifeedback.judge.Averaging.PROBABILITY))).hasMessageContaining("judge went away");
    assertThat(DataFiles.readPreferences(out)).hasSize(6);
    // A kill mid-write leaves a torn line: the next run cuts it off.
    Files.writeString(out, "{\"prompt\":\"q6\",\"chos", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    LengthJudge fresh = new LengthJudge(99);
    LabelReport r = Labeller.run(fresh, PairSource.labelled(reference()), out, new Labeller.Options(3,
        org.rlhf4j.aifeedback.judge.Averaging.PROBABILITY));
    assertThat(fresh.compared.get()).as("only the 4 missing pairs, each in both orders").isEqualTo(8);
    assertThat(r.rows()).isEqualTo(10);
    assertThat(r.added()).isEqualTo(4);
    List<String> ids = Files.readAllLines(out).stream().map(l -> l.replaceAll(".*\"id\":\"(pair-\\d+)\".*", "$1")).toList();
    assertThat(ids).containsExactly("pair-0", "pair-1", "pair-2", "pair-3", "pair-4", "pair-5", "pair-6", "pair-7", "pair-8", "pair-9");
    assertThat(DataFiles.readPreferences(out)).hasSize(10);
    // A third run has nothing to do.
    LengthJudge idle = new LengthJudge(0);
    assertThat(Labeller.run(idle, PairSource.labelled(reference()), out, Labeller.Options.defaults()).added()).isZero();
  }

  @Test
  void anHttpJudgeThatFailsMidRunWritesNothingHalfAndResumes() throws Exception {
    Path out = dir.resolve("served.jsonl");
    String a = StubServer.completion("A", "A", -0.1, "B", -2.5);
    OpenAiJudge.Options fast = new OpenAiJudge.Options(Duration.ofSeconds(2), Duration.ofSeconds(2), 1, Duration.ofMillis(1),
        Duration.ofMillis(5), 2, 20);
    try (StubServer broken = StubServer.of(i -> i < 8 ? StubServer.Reply.ok(a) : StubServer.Reply.ok("{\"choices\": [tr"))) {
      OpenAiJudge judge = new OpenAiJudge(new OpenAiJudge.Endpoint(broken.baseUrl(), null, "m"), JudgeTemplate.defaults(), fast);
      assertThatThrownBy(() -> Labeller.run(judge, PairSource.labelled(reference()), out, new Labeller.Options(2,
          org.rlhf4j.aifeedback.judge.Averaging.PROBABILITY)))
          .isInstanceOf(JudgeException.class).hasMessageContaining("malformed reply");
    }
    // 8 good replies = two batches of 2 pairs x 2 orders; the third batch failed and wrote nothing.
    assertThat(DataFiles.readPreferences(out)).hasSize(4);
    assertThat(Files.readString(out)).endsWith("\n");
    try (StubServer healthy = StubServer.of(i -> StubServer.Reply.ok(a))) {
      OpenAiJudge judge = new OpenAiJudge(new OpenAiJudge.Endpoint(healthy.baseUrl(), null, "m"), JudgeTemplate.defaults(), fast);
      LabelReport r = Labeller.run(judge, PairSource.labelled(reference()), out, new Labeller.Options(2,
          org.rlhf4j.aifeedback.judge.Averaging.PROBABILITY));
      assertThat(healthy.requests()).isEqualTo(12);
      assertThat(r.rows()).isEqualTo(10);
      // This server always answers "A" (the first-shown response): pure position bias, P(A) = 1/2 after correction.
      assertThat(r.positionBias().flipRate()).isEqualTo(1.0);
      assertThat(DataFiles.readPreferences(out)).allSatisfy(p -> assertThat(p.chosenProbability()).isCloseTo(0.5, within(1e-12)));
    }
  }

  @Test
  void aForeignOutputFileIsRefused() throws Exception {
    Path out = dir.resolve("other.jsonl");
    Files.writeString(out, "{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n");
    assertThatThrownBy(() -> Labeller.run(new LengthJudge(9), PairSource.labelled(reference()), out, Labeller.Options.defaults()))
        .hasMessageContaining(out + ":1").hasMessageContaining("without an \"id\"");
    assertThat(Files.readString(out)).isEqualTo("{\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":\"b\"}\n");
  }
}
