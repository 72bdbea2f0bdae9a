package org.rlhf4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/** The Vector API decode attention against libtorch's scaled_dot_product_attention on cache-shaped views. */
class DecodeAttentionTest {
  @Test void equalsSdpaForOneQueryOnCacheViewsWithAndWithoutGroups() {
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      torch.manual_seed(13);
      // {B, H, Hkv, D, S, capacity}: multi-head, grouped (Qwen-like 14 / 2), a head size with a tail past the vectors
      for (int[] c : new int[][] {{1, 12, 12, 64, 37, 64}, {3, 14, 2, 64, 5, 8}, {2, 4, 1, 20, 1, 4}, {1, 2, 2, 8, 200, 256}}) {
        int b = c[0], h = c[1], hkv = c[2], d = c[3], len = c[4], cap = c[5];
        Tensor q = torch.randn(b, 1, h, d).transpose(1, 2);                          // (B, H, 1, D), as the model's view
        Tensor kAll = torch.randn(b, hkv, cap, d), vAll = torch.randn(b, hkv, cap, d); // the cache's buffers
        Tensor k = kAll.narrow(2, 0, len), v = vAll.narrow(2, 0, len);               // (B, Hkv, S, D) views
        assertThat(DecodeAttention.applies(q, k, v, null)).isTrue();
        Tensor want = torch.scaled_dot_product_attention(q, k, v, Tensors.opt(null), 0.0, false, new DoubleOptional(), hkv != h);
        Tensor got = DecodeAttention.forward(q, k, v);
        assertThat(got.shape()).containsExactly(b, h, 1, d);
        assertThat(got.sub(want).abs().max().item_double()).as("B=%d H=%d Hkv=%d D=%d S=%d", b, h, hkv, d, len).isLessThan(1e-5);
      }
    }
  }

  @Test void equalsSdpaWithAKeyMaskAsContinuousBatchingBuildsIt() {
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      torch.manual_seed(17);
      int b = 3, h = 4, hkv = 2, d = 16, len = 6;
      Tensor q = torch.randn(b, 1, h, d).transpose(1, 2);                                 // (B, H, 1, D)
      Tensor k = torch.randn(b, hkv, 8, d).narrow(2, 0, len), v = torch.randn(b, hkv, 8, d).narrow(2, 0, len);
      Tensor valid = torch.ones(b, len).to(torch.ScalarType.Bool);                        // (B, S) right-aligned rows:
      valid.select(0, 1).narrow(0, 0, 2).fill_(new org.bytedeco.pytorch.Scalar(0));        // row 1 lacks columns 0-1
      valid.select(0, 2).narrow(0, 0, 5).fill_(new org.bytedeco.pytorch.Scalar(0));        // row 2 has only the last key
      Tensor mask = org.rlhf4j.models.Masks.causal(valid, len - 1, 1);                     // (B, 1, 1, S)
      assertThat(DecodeAttention.applies(q, k, v, mask)).isTrue();
      Tensor want = torch.scaled_dot_product_attention(q, k, v, Tensors.opt(mask), 0.0, false, new DoubleOptional(), true);
      Tensor got = DecodeAttention.forward(q, k, v, mask);
      assertThat(got.sub(want).abs().max().item_double()).isLessThan(1e-5);
      assertThat(got.select(0, 2).sub(want.select(0, 2)).abs().max().item_double()).as("one key: its value").isLessThan(1e-6);
    }
  }

  @Test void masksGradientsAndOtherDtypesStayOnLibtorch() {
    try (NativeScope s = NativeScope.open()) {
      Tensor q = torch.randn(1, 2, 1, 8), k = torch.randn(1, 2, 5, 8), v = torch.randn(1, 2, 5, 8);
      assertThat(DecodeAttention.applies(q, k, v, torch.ones(1, 1, 1, 5))).as("a float (additive) mask").isFalse();
      assertThat(DecodeAttention.applies(q, k, v, torch.ones(1, 1, 2, 5).to(torch.ScalarType.Bool))).as("a mask per query").isFalse();
      assertThat(DecodeAttention.applies(q.to(torch.ScalarType.BFloat16), k, v, null)).as("bf16").isFalse();
      assertThat(DecodeAttention.applies(torch.randn(1, 2, 2, 8), k, v, null)).as("two queries").isFalse();
      assertThat(DecodeAttention.applies(q, k.transpose(2, 3).contiguous().transpose(2, 3), v, null)).as("keys not position-major").isFalse();
      Tensor needs = q.clone().set_requires_grad(true);
      assertThat(DecodeAttention.applies(needs, k, v, null)).as("a gradient to record").isFalse();
      try (NoGradGuard g = new NoGradGuard()) {
        assertThat(DecodeAttention.applies(needs, k, v, null)).as("no graph under no_grad").isTrue();
      }
    }
  }
}
