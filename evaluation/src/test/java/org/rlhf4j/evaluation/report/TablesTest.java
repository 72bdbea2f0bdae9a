package org.rlhf4j.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.evaluation.EvalSummary;
import org.rlhf4j.evaluation.PromptEval;
import org.rlhf4j.evaluation.WinRate;
import org.rlhf4j.evaluation.doctor.Flag;
import org.rlhf4j.evaluation.doctor.FlagKind;

class TablesTest {
  @Test
  void flagsTableHasOneRowPerFlagOrANoneRow() {
    assertThat(Tables.flags(List.of()).rows()).singleElement().satisfies(r -> assertThat(r.get(0)).isEqualTo("none"));
    Table t = Tables.flags(List.of(new Flag(FlagKind.KL_BLOWUP, 120, "KL too high")));
    assertThat(t.rows()).containsExactly(List.of("KL_BLOWUP", 120L, "KL too high"));
  }

  @Test
  void summaryAndFamilyTablesFollowMapOrder() {
    EvalSummary s = EvalSummary.of(List.of(
        new PromptEval("harmful", 1, 2, 0.5, 10, Map.of(PromptEval.REFUSED, true)),
        new PromptEval("harmful", 3, 2, 0.5, 20, Map.of(PromptEval.REFUSED, false))));
    Map<String, EvalSummary> by = new LinkedHashMap<>();
    by.put("SFT", s);
    by.put("PPO", s);
    Table sum = Tables.summaries(by);
    assertThat(sum.rows()).extracting(r -> r.get(0)).containsExactly("SFT", "PPO");
    assertThat(sum.rows().get(0).get(1)).isEqualTo("2 ± 1.414");
    Table fam = Tables.families(by);
    assertThat(fam.rows()).hasSize(2);
    assertThat(fam.rows().get(0)).startsWith("SFT", "harmful", "refused", 0.5);
    Table wins = Tables.winRates("Win rate", Map.of("PPO", new WinRate(0.6, 0.5, 0.7, 100)));
    assertThat(wins.rows().get(0)).containsExactly("PPO", 0.6, 0.5, 0.7, 100);
  }
}
