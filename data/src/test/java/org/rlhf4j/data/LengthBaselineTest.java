package org.rlhf4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.testkit.Shared;

class LengthBaselineTest {
  static PreferencePair pair(String c, String r, double p) {
    return new PreferencePair(Content.text("q"), Content.text(c), Content.text(r), p);
  }

  @Test void countsShorterPreferredTiesAsHalfAndSkipsCoinFlips() {
    var res = LengthBaseline.shorterWins(List.of(pair("ab", "abcd", 1), pair("abcd", "ab", 1), pair("ab", "cd", 1),
        pair("abcd", "ab", 0.2), pair("a", "abc", 0.5)));
    assertThat(res.n()).isEqualTo(4);
    assertThat(res.accuracy()).isCloseTo((1 + 0 + 0.5 + 1) / 4.0, within(1e-12));
  }

  @Test void hhHarmlessShorterAnswerBaselineIsNearTheDocumentedFigure() {
    var pairs = DataFiles.readPreferences(Shared.require("data/hh-rlhf-harmless/pairs.jsonl.gz"));
    var res = LengthBaseline.shorterWins(pairs);
    System.out.printf("HH-RLHF harmless: shorter answer wins on %.4f of %d pairs%n", res.accuracy(), res.n());
    assertThat(res.accuracy()).isBetween(0.5, 0.65);
  }
}
