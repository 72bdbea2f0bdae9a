package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class NativeScopeTest {
  @Test
  void closingAScopeFreesItsTensorsButNotKeptOnes() {
    Tensor kept, dropped;
    try (NativeScope s = NativeScope.open()) {
      kept = s.keep(torch.ones(3));
      dropped = torch.ones(3);
    }
    assertThat(dropped.isNull()).isTrue();
    assertThat(kept.isNull()).isFalse();
    assertThat(kept.sum().item_float()).isEqualTo(3f);
  }

  @Test
  void keptTensorMovesToTheEnclosingScope() {
    Tensor kept;
    try (NativeScope outer = NativeScope.open()) {
      try (NativeScope inner = NativeScope.open()) {
        kept = inner.keep(torch.ones(2));
      }
      assertThat(kept.isNull()).isFalse();
    }
    assertThat(kept.isNull()).isTrue();
  }

  @Test
  void anEscapedTensorOutlivesEveryEnclosingScopeUntilClosed() {
    Tensor escaped, temporary;
    try (NativeScope outer = NativeScope.open()) {
      Tensor[] made = new Tensor[1];
      escaped = NativeScope.escape(() -> {
        made[0] = torch.ones(4);       // freed with the escape's own scope
        return made[0].mul(Tensors.scalar(2));
      });
      temporary = made[0];
      assertThat(temporary.isNull()).isTrue();
    }
    assertThat(escaped.isNull()).isFalse();
    assertThat(escaped.sum().item_float()).isEqualTo(8f);
    escaped.close();
    assertThat(escaped.isNull()).isTrue();
  }
}
