package org.rlhf4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsTest {

  @Test
  void messageRoleIsValidated() {
    assertThat(Message.user("hi")).isEqualTo(new Message("user", "hi"));
    assertThatThrownBy(() -> new Message("human", "hi"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role").hasMessageContaining("'human'");
    assertThatThrownBy(() -> new Message(null, "hi")).hasMessageContaining("role");
    assertThatThrownBy(() -> new Message("user", null)).hasMessageContaining("content");
  }

  @Test
  void chatIsAnImmutableNonEmptyCopy() {
    List<Message> source = new ArrayList<>(List.of(Message.user("q")));
    Chat chat = new Chat(source);
    source.add(Message.assistant("a"));
    assertThat(chat.messages()).containsExactly(Message.user("q"));
    assertThatThrownBy(() -> chat.messages().add(Message.user("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Chat(List.of())).hasMessageContaining("must not be empty");
    assertThat(chat.concat(Chat.of(Message.assistant("a"))).messages()).hasSize(2);
    assertThat(Chat.of(Message.user("q"), Message.assistant("a")).display()).isEqualTo("user: q\nassistant: a");
  }

  @Test
  void preferenceProbabilityMustBeInUnitInterval() {
    Content p = Content.text("p");
    assertThat(PreferencePair.of(p, Content.text("a"), Content.text("b")).chosenProbability()).isEqualTo(1.0);
    assertThat(new PreferencePair(p, Content.text("a"), Content.text("b"), 0.25).swapped())
        .isEqualTo(new PreferencePair(p, Content.text("b"), Content.text("a"), 0.75));
    assertThatThrownBy(() -> new PreferencePair(p, p, p, 1.5)).hasMessageContaining("chosenProbability");
    assertThatThrownBy(() -> new PreferencePair(p, p, p, Double.NaN)).hasMessageContaining("chosenProbability");
    assertThatThrownBy(() -> new PreferencePair(p, null, p, 1)).hasMessageContaining("PreferencePair.chosen");
  }

  @Test
  void rankingExpandsToAllOrderedPairs() {
    Content p = Content.text("p");
    Content a = Content.text("a"), b = Content.text("b"), c = Content.text("c"), d = Content.text("d");
    List<PreferencePair> pairs = new Ranking(p, List.of(a, b, c, d)).toPairs();
    assertThat(pairs).hasSize(6).allMatch(PreferencePair::isHard);
    assertThat(pairs).extracting(x -> x.chosen().display() + ">" + x.rejected().display())
        .containsExactly("a>b", "a>c", "a>d", "b>c", "b>d", "c>d");
    assertThatThrownBy(() -> new Ranking(p, List.of(a))).hasMessageContaining("at least 2");
  }

  @Test
  void unpairedAndPromptCompletionRejectNulls() {
    assertThatThrownBy(() -> new UnpairedExample(null, Content.text("x"), true)).hasMessageContaining("prompt");
    assertThatThrownBy(() -> new PromptCompletion(Content.text("x"), null)).hasMessageContaining("completion");
    assertThatThrownBy(() -> new Text(null)).hasMessageContaining("Text.text");
  }
}
