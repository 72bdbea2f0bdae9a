package org.rlhf4j.aifeedback.cai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.aifeedback.judge.Comparison;
import org.rlhf4j.aifeedback.label.LabelItem;
import org.rlhf4j.aifeedback.label.PairSource;
import org.rlhf4j.data.Content;
import org.rlhf4j.testkit.Shared;

/** Constitution files: the paper's 16 pairs, our own format, and errors that name the field. */
class ConstitutionTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsConstitutionalAisSixteenCritiqueRevisionPairs() {
    Constitution c = Constitution.load(Shared.require("data/constitution/cai_sl_principles.json"));
    assertThat(c.principles()).hasSize(16);
    assertThat(c.critiques()).hasSize(16);
    Principle first = c.principles().get(0);
    assertThat(first.name()).isEqualTo("harmful1");
    assertThat(first.critiqueRequest()).startsWith("Identify specific ways in which the assistant's last response is harmful");
    assertThat(first.revisionRequest()).startsWith("Please rewrite the assistant response to remove any and all harmful");
    assertThat(c.preferences()).isEmpty();
    assertThatThrownBy(() -> c.drawPreference(new java.util.SplittableRandom(1))).hasMessageContaining("preference_question");
    Set<String> drawn = new HashSet<>();
    for (int i = 0; i < 200; i++) drawn.add(c.drawCritique(Constitution.drawsFor(7, "p" + i)).name());
    assertThat(drawn).as("uniform draws reach every principle").hasSize(16);
  }

  @Test
  void readsOurOwnFormatAndTheBuiltInOne() throws Exception {
    Constitution c = Constitution.load(file("c.yaml", """
        name: mine
        principles:
          - name: harmless
            critique_request: Is it harmful?
            revision_request: Make it harmless.
            preference_question: Which is less harmful?
          - preference_question: Which is more honest?
        """));
    assertThat(c.name()).isEqualTo("mine");
    assertThat(c.critiques()).extracting(Principle::name).containsExactly("harmless");
    assertThat(c.preferences()).extracting(Principle::name).containsExactly("harmless", "principle-1");
    Constitution d = Constitution.defaults();
    assertThat(d.critiques()).isNotEmpty();
    assertThat(d.preferences()).hasSameSizeAs(d.critiques());
  }

  @Test
  void aMalformedFileFailsNamingTheField() throws Exception {
    assertThatThrownBy(() -> Constitution.load(file("a.json", "[{\"name\": \"x\", \"critique_request\": \"c?\"}]")))
        .hasMessageContaining("a.json").hasMessageContaining("missing field 'principles[0].revision_request'");
    assertThatThrownBy(() -> Constitution.load(file("b.yaml", "principles:\n  - critique_request: c\n    revision_request: r\n  - critique_request: 3\n    revision_request: r\n")))
        .hasMessageContaining("field 'principles[1].critique_request' must be a non-empty string");
    assertThatThrownBy(() -> Constitution.load(file("c.yaml", "principles:\n  - critque_request: c\n")))
        .hasMessageContaining("unknown field 'principles[0].critque_request'");
    assertThatThrownBy(() -> Constitution.load(file("d.yaml", "name: x\n"))).hasMessageContaining("missing field 'principles'");
    assertThatThrownBy(() -> Constitution.load(file("e.yaml", "principles:\n  - name: lonely\n"))).hasMessageContaining("principles[0] needs");
    assertThatThrownBy(() -> Constitution.load(file("f.json", "[{\"name\": \"x\",}]"))).hasMessageContaining("f.json:1: malformed JSON");
    assertThatThrownBy(() -> Constitution.load(dir.resolve("nope.yaml"))).hasMessageContaining("does not exist");
  }

  @Test
  void rlCaiDrawsOnePrincipleQuestionPerPairStableByItsId() {
    List<LabelItem> items = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) items.add(LabelItem.of("pair-" + i, Content.text("q"), "a", "b", null));
    PairSource s = RlCai.underRandomPrinciples(PairSource.of(items), Constitution.defaults(), 3);
    List<LabelItem> once = s.items(java.util.stream.IntStream.range(0, 40).boxed().toList());
    List<LabelItem> again = s.items(List.of(5, 6));
    assertThat(again.get(0).principle()).isEqualTo(once.get(5).principle());
    assertThat(again.get(1).comparison().criterion()).isEqualTo(once.get(6).comparison().criterion());
    assertThat(once.stream().map(LabelItem::principle).distinct().count()).isGreaterThan(2);
    Comparison c = once.get(0).comparison();
    assertThat(c.criterion()).isEqualTo(Constitution.defaults().preferences().stream()
        .filter(p -> p.name().equals(once.get(0).principle())).findFirst().orElseThrow().preferenceQuestion());
    Constitution onlyCritiques = Constitution.load(Shared.require("data/constitution/cai_sl_principles.json"));
    assertThatThrownBy(() -> RlCai.underRandomPrinciples(PairSource.of(items), onlyCritiques, 3)).hasMessageContaining("preference_question");
  }
}
