package org.rlhf4j.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.hubspot.jinjava.Jinjava;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web's feedback documents in the pre-training corpus: their shares, their words, and how right their verdicts are. */
class FeedbackTest {
  private final World world = new World(7);
  private final List<String> docs = world.corpus(4000, new SplittableRandom(21), true);
  private static final Pattern VERDICT = Pattern.compile(
      "user: (which answer is [a-z ]+\\?) question : (.+) answer 1 : (.+) answer 2 : (.+) assistant: the better answer is ([12]) \\.");

  @Test
  void corpusMixesComparisonsCritiquesAndJailbreaksInTheirShares() {
    long judged = docs.stream().filter(d -> d.contains("the better answer is")).count();
    long revised = docs.stream().filter(d -> d.contains(Feedback.REVISION_REQUEST)).count();
    long jailbreaks = docs.stream().filter(d -> !d.contains(" question : ") && !d.contains("<eos>")
        && Feedback.JAILBREAKS.stream().anyMatch(j -> d.startsWith("user: " + j))).count();
    // Comparisons whose two answers rank equally fall back to plain conversations, so fewer than the share.
    assertThat(judged / 4000.0).isBetween(0.6 * Feedback.JUDGE_SHARE, Feedback.JUDGE_SHARE + 0.02);
    assertThat(revised / 4000.0).isBetween(Feedback.REVISE_SHARE - 0.02, Feedback.REVISE_SHARE + 0.02);
    assertThat(jailbreaks / 4000.0).isBetween(Feedback.JAILBREAK_SHARE - 0.015, Feedback.JAILBREAK_SHARE + 0.015);
    assertThat(docs).noneMatch(d -> Feedback.HELD_OUT_JAILBREAKS.stream().anyMatch(d::contains));
  }

  private static final Pattern GRADED = Pattern.compile("user: how is this answer \\? question : (.+) answer : (.+) assistant: this answer is ([1-9]) \\.");

  /** Grades are the answers' worth on a nine-step scale: their share, and mostly the step of the answer's gold score. */
  @Test
  void gradesFollowTheAnswersWorth() {
    double[] goldSum = new double[10];
    int[] count = new int[10];
    int exact = 0, scored = 0;
    int graded = 0;
    for (String d : docs) {
      Matcher m = GRADED.matcher(d);
      if (!m.matches()) continue;
      graded++;
      var prompt = world.prompt(m.group(1));
      if (prompt.isEmpty()) continue; // a jailbreak framing around a harmful prompt
      int g = Integer.parseInt(m.group(3));
      double gold = world.gold().score(prompt.get(), m.group(2));
      goldSum[g] += gold;
      count[g]++;
      scored++;
      if (g == Feedback.grade(gold)) exact++;
    }
    assertThat(graded / 4000.0).isBetween(Feedback.GRADE_SHARE - 0.02, Feedback.GRADE_SHARE + 0.02);
    assertThat(count[1] + count[9]).as("both ends of the scale used").isGreaterThan(10);
    assertThat(exact / (double) scored).as("grades on the gold score's step").isBetween(0.85, 0.97);
    assertThat(goldSum[9] / count[9]).isGreaterThan(goldSum[5] / Math.max(1, count[5]));
    assertThat(goldSum[5] / Math.max(1, count[5])).isGreaterThan(goldSum[1] / count[1]);
    assertThat(docs).filteredOn(d -> d.contains("this answer is")).allMatch(d -> GRADED.matcher(d).matches());
  }

  @Test
  void everyWordIsInTheVocabulary() {
    Set<String> vocab = new HashSet<>(world.vocabulary());
    for (String d : docs) for (String w : d.split(" ")) assertThat(vocab).as(d).contains(w);
  }

  @Test
  void verdictsAreOpinionsThatMostlyAgreeWithGold() {
    int decided = 0, agree = 0, parsed = 0;
    for (String d : docs) {
      Matcher m = VERDICT.matcher(d);
      if (!m.matches()) continue;
      parsed++;
      var prompt = world.prompt(m.group(2));
      if (prompt.isEmpty()) continue; // a jailbreak framing around a harmful prompt
      double a = world.gold().score(prompt.get(), m.group(3)), b = world.gold().score(prompt.get(), m.group(4));
      if (a == b) continue;
      decided++;
      agree += (a > b) == m.group(5).equals("1") ? 1 : 0;
    }
    assertThat(parsed).isEqualTo((int) docs.stream().filter(d -> d.contains("the better answer is")).count());
    assertThat(decided).isGreaterThan(200);
    // Right most of the time (the ranking of kinds of answer, one verdict in ten flipped), but not the gold reward itself.
    assertThat(agree / (double) decided).isBetween(0.75, 0.95);
  }

  @Test
  void critiquesFlagHarmfulComplianceAndRevisionsRefuse() {
    int flagged = 0, refusedAfterFlag = 0, harmfulFlagged = 0, harmful = 0;
    for (String d : docs) {
      if (!d.contains(Feedback.REVISION_REQUEST)) continue;
      String[] turns = d.split(" <eos> ");
      assertThat(turns).hasSize(3);
      String answer = turns[0].substring(turns[0].indexOf(" assistant: ") + " assistant: ".length());
      boolean isHarmful = Lexicon.HARM_MARKERS.stream().anyMatch(w -> List.of(answer.split(" ")).contains(w));
      boolean isFlagged = turns[1].endsWith(Feedback.FLAGGED);
      harmful += isHarmful ? 1 : 0;
      harmfulFlagged += isHarmful && isFlagged ? 1 : 0;
      if (isFlagged) {
        flagged++;
        refusedAfterFlag += Lexicon.REFUSALS.stream().anyMatch(r -> turns[2].endsWith("assistant: " + r)) ? 1 : 0;
      }
      assertThat(isFlagged).isEqualTo(turns[1].split("assistant: ")[1].matches(Feedback.FLAGGED_REGEX));
    }
    assertThat(harmful).isGreaterThan(30);
    assertThat(harmfulFlagged / (double) harmful).isGreaterThan(0.85);
    assertThat(refusedAfterFlag).isEqualTo(flagged);
  }

  @Test
  void judgingRequestsAreWhatTheJudgeTemplateRenders() {
    Map<String, Object> vars = Map.of("criterion", Feedback.BETTER, "prompt", "what is 3 plus 4 ?", "response_a", "the answer is 7 .",
        "response_b", "the answer is 8 .", "option_a", "1", "option_b", "2");
    assertThat(new Jinjava().render(Feedback.JUDGE_TEMPLATE, vars))
        .isEqualTo(Feedback.judgeRequest(Feedback.BETTER, "what is 3 plus 4 ?", "the answer is 7 .", "the answer is 8 ."));
    assertThat(Feedback.OPTIONS.stream().map(String::strip).toList()).containsExactly("1", "2");
  }
}
