package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.rlhf4j.training.loss.Fixture.assertClose;
import static org.rlhf4j.training.loss.Fixture.of;
import static org.rlhf4j.training.loss.Fixture.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loss.Fixture.Precision;

class GroupAdvantagesTest {

  @ParameterizedTest
  @EnumSource(Precision.class)
  void matchesFixture(Precision p) {
    JsonNode g = Fixture.section("group_advantages");
    JsonNode exp = g.get("expected");
    try (var s = NativeScope.open()) {
      Tensor r = tensor(g.get("inputs").get("rewards"), p.type); // (3, 4)
      assertClose("rloo", GroupAdvantages.rloo(r), exp.get("rloo"), p.tol);
      assertClose("grpo", GroupAdvantages.grpo(GroupAdvantages.GrpoConfig.DEFAULT, r), exp.get("grpo"), p.tol);
      assertClose("grpo_no_std", GroupAdvantages.grpo(new GroupAdvantages.GrpoConfig(false, 1e-4), r),
          exp.get("grpo_no_std"), p.tol);
    }
  }

  @Test
  void handCheckableTwoSampleGroup() {
    try (var s = NativeScope.open()) {
      Tensor r = of(ScalarType.Double, 3, 1).reshape(1, 2); // (1, 2)
      assertThat(Fixture.values(GroupAdvantages.rloo(r))).containsExactly(new double[] {2, -2}, offset(1e-12));
      // mean 2, unbiased std sqrt(2)
      double a = 1 / (Math.sqrt(2) + 1e-4);
      assertThat(Fixture.values(GroupAdvantages.grpo(GroupAdvantages.GrpoConfig.DEFAULT, r)))
          .containsExactly(new double[] {a, -a}, offset(1e-12));
    }
  }

  @Test
  void rejectsSingleSampleGroups() {
    try (var s = NativeScope.open()) {
      assertThatThrownBy(() -> GroupAdvantages.rloo(of(ScalarType.Double, 1, 2).reshape(2, 1)))
          .hasMessageContaining("K >= 2");
      assertThatThrownBy(() -> new GroupAdvantages.GrpoConfig(true, 0)).hasMessageContaining("eps");
    }
  }
}
