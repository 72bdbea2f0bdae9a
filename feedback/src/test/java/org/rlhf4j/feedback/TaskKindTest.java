package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.BadRequestResponse;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each task kind keeps its own promises: the export formats it lists, gold answers it accepts, stored values that read back. */
class TaskKindTest {
  static Project project(TaskKind kind) { return new Project(1, "p", kind, 3, 0.1, true, 0); }

  @Test void everyKindExportsExactlyTheFormatsItLists() {
    List<String> all = List.of("preferences", "rankings", "unpaired");
    for (TaskKind kind : TaskKind.values()) {
      assertThat(kind.exportFormats()).isNotEmpty().isSubsetOf(all);
      for (String format : all) {
        Function<List<ProjectExport.Item>, List<?>> export = switch (format) {
          case "preferences" -> kind::preferences;
          case "rankings" -> kind::rankings;
          default -> kind::unpaired;
        };
        if (kind.exportFormats().contains(format)) assertThat(export.apply(List.of())).isEmpty();
        else assertThatThrownBy(() -> export.apply(List.of())).isInstanceOf(BadRequestResponse.class)
            .hasMessage("a " + kind.id() + " project exports " + String.join(" or ", kind.exportFormats()) + ", not " + format);
      }
    }
  }

  @Test void importedBestFirstGoldIsAValidGoldAnswerThatMatchesItself() {
    for (TaskKind kind : List.of(TaskKind.PAIRWISE, TaskKind.RANKING)) {
      int k = kind.maxResponses() == 2 ? 2 : 4;
      var gold = kind.goldBestFirst(k);
      var validated = project(kind).validate(Body.wrap(Body.object().set("gold", gold)), "gold", k);
      assertThat(validated).isEqualTo(gold);
      assertThat(kind.matchesGold(validated, gold)).isTrue();
    }
    assertThatThrownBy(() -> TaskKind.RATING.goldBestFirst(1)).isInstanceOf(BadRequestResponse.class).hasMessageContaining("score");
  }

  @Test void goldMatchAndConsensusFollowEachKindsDefinition() {
    var json = Body.JSON;
    assertThat(TaskKind.PAIRWISE.matchesGold(json.valueToTree("B"), json.valueToTree("A"))).isFalse();
    assertThat(TaskKind.RANKING.matchesGold(json.valueToTree(List.of(2, 0, 1)), json.valueToTree(List.of(2, 1, 0)))).isTrue();  // same best
    assertThat(TaskKind.RATING.matchesGold(json.valueToTree(6), json.valueToTree(7))).isTrue();   // within one point
    assertThat(TaskKind.RATING.matchesGold(json.valueToTree(5), json.valueToTree(7))).isFalse();
    assertThat(TaskKind.RATING.distance(json.valueToTree(1), json.valueToTree(7))).isEqualTo(1.0);
    assertThat(TaskKind.RANKING.distance(json.valueToTree(List.of(0, 1, 2)), json.valueToTree(List.of(2, 1, 0)))).isEqualTo(1.0);
    assertThat(TaskKind.RANKING.distance(json.valueToTree(List.of(0, 1, 2)), json.valueToTree(List.of(1, 0, 2)))).isEqualTo(1.0 / 3);
  }

  @Test void validationRejectsValuesOfTheWrongShape() {
    Body b = Body.wrap(Body.object().put("choice", "TIE").put("score", 8).set("ranking", Body.JSON.valueToTree(List.of(0, 0, 1))));
    assertThat(new Project(1, "p", TaskKind.PAIRWISE, 3, 0.1, false, 0).kind().field()).isEqualTo("choice");
    assertThatThrownBy(() -> new Project(1, "p", TaskKind.PAIRWISE, 3, 0.1, false, 0).validate(b, "choice", 2)).hasMessageContaining("must be one of [A, B]");
    assertThatThrownBy(() -> project(TaskKind.RATING).validate(b, "score", 1)).hasMessageContaining("must be in [1, 7]");
    assertThatThrownBy(() -> project(TaskKind.RANKING).validate(b, "ranking", 3)).hasMessageContaining("exactly once");
    assertThat(TaskKind.of("ranking")).isEqualTo(TaskKind.RANKING);
    assertThat(TaskKind.ids()).containsExactlyInAnyOrder("pairwise", "ranking", "rating");
  }
}
