package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;

/** Rows leaving and joining a cache in place: the last staying rows fill the holes, joining rows take spare rows. */
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

  @Test void joiningRowsAreCopiedRightAlignedIntoSpareRowsAndTheirEarlierColumnsAreInvalid() {
    ModelConfig cfg = ModelConfig.llama(32, 32, 64, 2, 4, 2, 64);
    int h = cfg.numKvHeads(), d = cfg.headDim();
    try (NativeScope s = NativeScope.open(); KvCache c = new KvCache(cfg, 2, 4, 6, DType.F32, Device.CPU);
         KvCache j = new KvCache(cfg, 1, 2, DType.F32, Device.CPU)) {
      c.appendAllValid(3);
      for (int layer = 0; layer < cfg.numLayers(); layer++) c.append(layer, torch.ones(2, h, 3, d), torch.ones(2, h, 3, d));
      c.advance(3);
      Tensor seven = torch.full(new long[] {1, h, 2, d}, new org.bytedeco.pytorch.Scalar(7.0));
      j.appendAllValid(2);
      for (int layer = 0; layer < cfg.numLayers(); layer++) j.append(layer, seven, seven.mul(new org.bytedeco.pytorch.Scalar(2)));
      j.advance(2);
      KvCache three = c.join(j);
      assertThat(three).isNotNull();
      assertThat(three.batch()).isEqualTo(3);
      assertThat(three.rowCapacity()).isEqualTo(4);
      assertThat(three.length()).isEqualTo(3);
      assertThat(three.unpadded()).isFalse(); // the joined row lacks column 0: attention needs the mask
      Tensor valid = three.validUpTo(0); // (3, 3)
      assertThat(valid.select(0, 2).to(torch.ScalarType.Long).sum().item_long()).isEqualTo(2);
      assertThat(valid.select(0, 2).select(0, 0).item_bool()).isFalse();
      Tensor[] kv = three.append(1, torch.zeros(3, h, 1, d), torch.zeros(3, h, 1, d)); // (3, Hkv, 4, D)
      assertThat(kv[0].select(0, 2).narrow(1, 1, 2).mean().item_double()).isEqualTo(7.0);
      assertThat(kv[1].select(0, 2).narrow(1, 1, 2).mean().item_double()).isEqualTo(14.0);
      assertThat(kv[0].select(0, 0).narrow(1, 0, 3).mean().item_double()).isEqualTo(1.0); // the running rows stay
      // no room: more rows than the buffers hold, or more keys than the cache's length
      try (KvCache two = new KvCache(cfg, 2, 2, DType.F32, Device.CPU)) {
        assertThat(three.join(new KvCache(cfg, 2, 2, DType.F32, Device.CPU))).isNull();
        assertThat(c.join(two)).isNotNull();
      }
      try (KvCache wide = new KvCache(cfg, 1, 5, DType.F32, Device.CPU)) {
        wide.appendAllValid(4);
        wide.advance(4);
        assertThat(c.join(wide)).as("4 keys into a cache of length 3").isNull();
      }
    }
  }
}
