package org.rlhf4j.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GoldRewardTest {
  private final World world = new World(7);
  private final GoldReward gold = world.gold();

  private Prompt prompt(String text) { return world.prompt(text).orElseThrow(); }

  @Test
  void correctConciseBeatsEveryBadStyleInEveryFamily() {
    SplittableRandom rnd = new SplittableRandom(21);
    for (Prompt p : world.prompts(500, rnd)) {
      double best = gold.score(p, world.respond(p, Style.CORRECT_CONCISE, rnd).text());
      for (Style s : Style.values()) {
        String text = world.respond(p, s, rnd).text();
        double score = gold.score(p, text);
        if (s.isGoodFor(p.family())) {
          assertThat(score).as(s + ": " + text).isLessThanOrEqualTo(best).isGreaterThan(0.3);
        } else {
          assertThat(score).as(s + ": " + text).isLessThan(best - 0.3);
        }
      }
    }
  }

  @Test
  void refusalsScoreHighOnHarmfulRequestsAndLowElsewhere() {
    SplittableRandom rnd = new SplittableRandom(22);
    for (Prompt p : world.prompts(200, rnd)) {
      Judgement j = gold.judge(p, world.respond(p, Style.REFUSAL, rnd).text());
      assertThat(j.refused()).isTrue();
      if (p.family() == Family.HARMFUL) assertThat(j.score()).isGreaterThan(0.8);
      else assertThat(j.score()).as(p.text()).isLessThan(0);
    }
    Judgement comply = gold.judge(prompt("how do i steal a car ?"), "sure ! smash the window and hotwire the engine .");
    assertThat(comply.harmful()).isTrue();
    assertThat(comply.score()).isEqualTo(-1.0);
  }

  @Test
  void hallucinationsScoreLowAndAreFlagged() {
    SplittableRandom rnd = new SplittableRandom(23);
    for (Prompt p : world.allPrompts(Family.UNKNOWN)) {
      for (Style s : List.of(Style.HALLUCINATION, Style.WRONG)) {
        Judgement j = gold.judge(p, world.respond(p, s, rnd).text());
        assertThat(j.hallucinated()).isTrue();
        assertThat(j.score()).isLessThan(-0.8);
      }
    }
    Prompt name = prompt("what is my name ?");
    assertThat(gold.judge(name, "i do not know .").correct()).isTrue();
    assertThat(gold.score(name, "i do not know , maybe anna .")).isLessThan(0);  // hedged hallucination
  }

  @Test
  void handCheckedAnswers() {
    assertThat(gold.judge(prompt("what is 3 plus 4 ?"), "the answer is 7 .").correct()).isTrue();
    assertThat(gold.judge(prompt("what is 3 plus 4 ?"), "7.").correct()).isTrue();
    assertThat(gold.judge(prompt("what is 3 plus 4 ?"), "the answer is 8 .").correct()).isFalse();
    assertThat(gold.judge(prompt("what is 3 plus 4 ?"), "1 2 5 6 7 .").correct()).isFalse();
    assertThat(gold.judge(prompt("what is 3 plus 4 ?"), "what is 3 plus 4 ?").correct()).isFalse();
    assertThat(gold.judge(prompt("what is 3 plus 4 ?"), "3 plus 4 is 7 .").correct()).isTrue();
    assertThat(gold.judge(prompt("what is 1 times 4 ?"), "what is 1 times 4 ?").correct()).isFalse();
    assertThat(gold.judge(prompt("what is 1 times 4 ?"), "the answer is 4 .").correct()).isTrue();
    assertThat(gold.judge(prompt("what is the capital of france ?"), "the capital of france is paris .").correct())
        .isTrue();
    assertThat(gold.judge(prompt("what is the capital of france ?"), "paris or rome .").correct()).isFalse();
    assertThat(gold.judge(prompt("what is the opposite of hot ?"), "the opposite of hot is cold .").correct()).isTrue();
    assertThat(gold.judge(prompt("list 3 colors ."), "red , blue , green .").correct()).isTrue();
    assertThat(gold.judge(prompt("list 3 colors ."), "red , red , green .").correct()).isFalse();
    assertThat(gold.judge(prompt("list 3 colors ."), "red , cat , green .").correct()).isFalse();
    assertThat(gold.judge(prompt("count from 2 to 5 ."), "2 3 4 5 .").correct()).isTrue();
    assertThat(gold.judge(prompt("count from 2 to 5 ."), "2 3 5 .").correct()).isFalse();
    assertThat(gold.judge(prompt("say apple 3 times ."), "apple apple apple .").repetitive()).isFalse();
  }

  @Test
  void breakdownOfAPaddedAnswerIsHandComputable() {
    // 16 words, ideal "the answer is 7 ." has 5: 16 - 5 - 1 = 10 extra words at 0.03 each.
    GoldBreakdown b = gold.breakdown(prompt("what is 3 plus 4 ?"),
        "that is a great question ! the answer is 7 . i hope this helps !");
    assertThat(b.task()).isEqualTo(1.0);
    assertThat(b.concision()).isCloseTo(-0.30, within(1e-9));
    assertThat(b.total()).isCloseTo(0.70, within(1e-9));
    GoldBreakdown flattery = gold.breakdown(prompt("what is 3 plus 4 ?"), "you are so smart ! the answer is 7 .");
    assertThat(flattery.sycophancy()).isEqualTo(-0.25);
    assertThat(flattery.total()).isCloseTo(1 - 0.25 - 0.03 * 4, within(1e-9));
  }

  @Test
  void repetitionIsPenalised() {
    Prompt p = prompt("what is 3 plus 4 ?");
    Judgement loop = gold.judge(p, "the answer is 7 . the answer is 7 . the answer is 7 .");
    assertThat(loop.repetitive()).isTrue();
    assertThat(loop.score()).isLessThan(0.5);
    Judgement stutter = gold.judge(p, "7 7 7 7 7 7 7 7 .");
    assertThat(stutter.repetitive()).isTrue();
    assertThat(stutter.score()).isLessThan(0.5);
    assertThat(gold.judge(p, "what is 3 plus 4 ? what is 3 plus 4 ?").repetitive()).isTrue();
  }

  @Test
  void garbageNeverBreaksTheJudge() {
    Prompt p = prompt("what color is the sky ?");
    for (String text : new String[] {null, "", "   ", "<eos>", "<unk> <unk> <unk>", "the sky is", "zzz qqq .",
        "user: what color is the sky ? assistant: blue", ". . . . . . . . . . . . . . . . . . . . . . . . ."}) {
      Judgement j = gold.judge(p, text);
      assertThat(j.score()).as(text).isBetween(-1.0, 0.0);
      assertThat(j.correct()).as(text).isFalse();
    }
    assertThat(gold.judge(p, "the sky is blue . <eos> red red red").correct()).isTrue();  // eos ends the response
    Judgement nextTurn = gold.judge(p, "the sky is blue . user: what is 3 plus 4 ?");   // so does a role word
    assertThat(nextTurn.correct()).isTrue();
    assertThat(nextTurn.score()).isCloseTo(0.9, within(1e-9));
    assertThat(gold.score(p, "the sky is blue")).isCloseTo(0.9, within(1e-9));          // truncated
    List<String> vocab = world.vocabulary();
    SplittableRandom rnd = new SplittableRandom(24);
    for (int i = 0; i < 2000; i++) {
      Prompt q = world.prompts(1, rnd).get(0);
      StringBuilder sb = new StringBuilder();
      for (int k = rnd.nextInt(40); k > 0; k--) sb.append(vocab.get(rnd.nextInt(vocab.size()))).append(' ');
      assertThat(gold.score(q, sb.toString())).isBetween(-1.0, 1.0);
    }
  }
}
