package org.rlhf4j.demo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.reward.Group;

/** The bench's attack sets: members are trained on, non-members never are, and {@code rest} uses every unseen pair. */
class DpRewardBenchSplitTest {
  private static List<Group> groups(int n) {
    List<Group> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row a = new Row(new int[] {i, 1}, new int[] {0, 1}), b = new Row(new int[] {i, 2}, new int[] {0, 1});
      out.add(new Group(List.of(a, b), new int[] {0}, new int[] {1}, new double[] {1.0}, false));
    }
    return out;
  }

  private static Set<Group> identity(List<Group> groups) {
    Set<Group> s = Collections.newSetFromMap(new IdentityHashMap<>());
    s.addAll(groups);
    return s;
  }

  @Test
  void fifthComparesAsManyTrainingPairsAsHeldOutOnes() {
    DpRewardBench.Split s = DpRewardBench.Split.of(groups(100), 40, 0, 0, 3, DpRewardBench.Split.Held.FIFTH);
    assertThat(s.train()).hasSize(40);
    assertThat(s.nonMembers()).isEqualTo(s.test()).hasSize(20);
    assertThat(s.members()).hasSize(20);
    assertThat(identity(s.train())).containsAll(s.members());
  }

  @Test
  void restComparesEveryCleanTrainingPairWithEveryUnseenPair() {
    List<Group> all = groups(100);
    DpRewardBench.Split s = DpRewardBench.Split.of(all, 40, 5, 0, 3, DpRewardBench.Split.Held.REST);
    Set<Group> train = identity(s.train());
    assertThat(s.members()).hasSize(35).allSatisfy(g -> assertThat(train).contains(g)); // the 5 swapped canaries apart
    assertThat(s.nonMembers()).hasSize(100 - 40 - 5).noneSatisfy(g -> assertThat(train).contains(g)); // 5 held-out pairs became canaries
    assertThat(identity(s.nonMembers())).containsAll(s.test());
    assertThat(s.test()).hasSize(15);
  }

  @Test
  void unknownHeldNamesTheOption() {
    assertThatThrownBy(() -> DpRewardBench.Split.Held.of("all")).hasMessageContaining("held must be fifth or rest");
    assertThatThrownBy(() -> DpRewardBench.options("memorise", new String[] {"hold=rest"})).hasMessageContaining("unknown option 'hold'");
  }
}
