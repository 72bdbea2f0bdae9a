package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;

/** Rows leaving a cache in place: the last staying rows fill the holes, nothing else moves. */
class KvCacheTest {
  @Test void withoutMovesOnlyTheLastStayingRowsIntoTheHoles() {
    ModelConfig cfg = ModelConfig.llama(32, 32, 64, 2, 4, 2, 64); // two layers, 2 key/value heads
    try (NativeScope s = NativeScope.open(); KvCache c = new KvCache(cfg, 5, 6, DType.F32, Device.CPU)) {
      int l = cfg.numLayers() - 1, h = cfg.numKvHeads(), d = cfg.headDim();
      Tensor k = torch.arange(new org.bytedeco.pytorch.Scalar(5)).to(torch.ScalarType.Float).view(5, 1, 1, 1).expand(5, h, 2, d).contiguous(); // row r holds r
      c.appendAllValid(2);
      for (int layer = 0; layer < cfg.numLayers(); layer++) c.append(layer, k, k.mul(new org.bytedeco.pytorch.Scalar(10)));
      c.advance(2);
      long[] order = new long[3];
      KvCache smaller = c.without(new boolean[] {false, true, false, true, false}, order); // rows 1 and 3 leave
      assertThat(order).containsExactly(0, 4, 2);                                         // row 4 fills the hole at 1
      assertThat(smaller.batch()).isEqualTo(3);
      assertThat(smaller.length()).isEqualTo(2);
      assertThat(smaller.unpadded()).isTrue();
      Tensor[] kv = smaller.append(l, torch.zeros(3, h, 1, d), torch.zeros(3, h, 1, d)); // (3, Hkv, 3, D)
      for (int i = 0; i < 3; i++) {
        assertThat(kv[0].select(0, i).narrow(1, 0, 2).mean().item_double()).as("keys of row %d", i).isEqualTo((double) order[i]);
        assertThat(kv[1].select(0, i).narrow(1, 0, 2).mean().item_double()).as("values of row %d", i).isEqualTo(10.0 * order[i]);
      }
      assertThatThrownBy(() -> c.without(new boolean[] {true, true}, new long[0])).hasMessageContaining("2 flags for 5 rows");
      assertThatThrownBy(() -> c.without(new boolean[5], new long[4])).hasMessageContaining("keeps 5 rows, order has 4");
    }
  }
}
