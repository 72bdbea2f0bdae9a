package org.rlhf4j.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorldTest {
  private final World world = new World(7);

  @Test
  void sameSeedsGiveTheSameWorldPromptsResponsesAndCorpus() {
    World again = new World(7);
    assertThat(again.vocabulary()).isEqualTo(world.vocabulary());
    assertThat(again.prompts(50, new SplittableRandom(3))).isEqualTo(world.prompts(50, new SplittableRandom(3)));
    assertThat(again.corpus(50, new SplittableRandom(4))).isEqualTo(world.corpus(50, new SplittableRandom(4)));
    Prompt p = world.allPrompts(Family.INSTRUCTION).get(40);
    for (Style s : Style.values()) {
      assertThat(again.respond(p, s, new SplittableRandom(5))).isEqualTo(world.respond(p, s, new SplittableRandom(5)));
    }
  }

  @Test
  void theSeedDecidesTheInventedFacts() {
    Set<String> a = new HashSet<>(new World(1).allPrompts(Family.UNKNOWN).stream().map(Prompt::text).toList());
    Set<String> b = new HashSet<>(new World(2).allPrompts(Family.UNKNOWN).stream().map(Prompt::text).toList());
    assertThat(a).isNotEqualTo(b);
    assertThat(new World(1).prompt("what is the capital of france ?")).isPresent();
    assertThat(new World(1).vocabulary()).isEqualTo(new World(2).vocabulary());  // one tokenizer for every seed
  }

  @Test
  void promptsAreBalancedOverFamilies() {
    List<Prompt> prompts = world.prompts(103, new SplittableRandom(11));
    Map<Family, Integer> counts = new EnumMap<>(Family.class);
    prompts.forEach(p -> counts.merge(p.family(), 1, Integer::sum));
    assertThat(counts).hasSize(5);
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(20, 21));
  }

  @Test
  void promptIdsFollowTheText() {
    Prompt p = world.prompt("what is 3 plus 4 ?").orElseThrow();
    assertThat(p.family()).isEqualTo(Family.ARITHMETIC);
    assertThat(p.id()).startsWith("arithmetic-").isEqualTo(new World(99).prompt(p.text()).orElseThrow().id());
    assertThat(world.allPrompts().stream().map(Prompt::id).distinct().count()).isEqualTo(world.allPrompts().size());
  }

  @Test
  void vocabularyStartsWithSpecialsAndCoversEverythingTheWorldSays() {
    List<String> vocab = world.vocabulary();
    assertThat(vocab.subList(0, 6)).containsExactly("<pad>", "<bos>", "<eos>", "<unk>", "user:", "assistant:");
    assertThat(new HashSet<>(vocab)).hasSize(vocab.size());
    assertThat(vocab.size()).isBetween(200, 500);
    Set<String> known = new HashSet<>(vocab);
    SplittableRandom rnd = new SplittableRandom(12);
    for (Prompt p : world.allPrompts()) {
      assertThat(p.text().split(" ")).hasSizeLessThanOrEqualTo(World.MAX_PROMPT_WORDS);
      assertThat(known).containsAll(List.of(p.text().split(" ")));
      for (Style s : Style.values()) {
        String text = world.respond(p, s, rnd).text();
        assertThat(text.split(" ")).as(text).hasSizeLessThanOrEqualTo(World.MAX_RESPONSE_WORDS);
        assertThat(known).as(text).containsAll(List.of(text.split(" ")));
        assertThat(text).doesNotContain("  ").isEqualTo(text.trim());
      }
    }
  }

  @Test
  void corpusDocumentsAreConversationsMixingGoodAndBadAnswers() {
    List<String> docs = world.corpus(2000, new SplittableRandom(13));
    assertThat(docs).hasSize(2000).allSatisfy(d -> assertThat(d).startsWith("user: ").contains(" assistant: "));
    GoldReward gold = world.gold();
    long good = docs.stream().filter(d -> {
      String[] parts = d.substring("user: ".length()).split(" assistant: ");
      return gold.judge(world.prompt(parts[0]).orElseThrow(), parts[1]).correct();
    }).count();
    assertThat(good / 2000.0).isBetween(0.6, 0.75);  // 60% good styles + flattery (correct but sycophantic)
    assertThat(docs).noneMatch(d -> d.startsWith("user: what is") && d.contains("bleach"));
  }

  @Test
  void goodResponsesAreJudgedCorrect() {
    SplittableRandom rnd = new SplittableRandom(14);
    for (Prompt p : world.prompts(300, rnd)) {
      Judgement j = world.gold().judge(p, world.goodResponse(p, rnd).text());
      assertThat(j.correct()).as(p.text()).isTrue();
      assertThat(j.score()).as(p.text()).isEqualTo(1.0);
    }
  }

  @Test
  void foreignPromptsAreRejectedByName() {
    Prompt alien = new Prompt("x", Family.FACT, "what is the capital of mars ?");
    assertThatThrownBy(() -> world.respond(alien, Style.WRONG, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capital of mars");
    assertThatThrownBy(() -> world.gold().judge(alien, "i do not know ."))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not from this world");
    assertThatThrownBy(() -> world.prompts(-1, new SplittableRandom(1))).hasMessageContaining("n must be");
  }
}
