package org.rlhf4j.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

class ThinMatmulTest {
  @Test
  void singleRowsTakeTheGemvPathAndAgreeWithTheMatmul() {
    try (NativeScope s = NativeScope.open()) {
      torch.manual_seed(3);
      Tensor x = torch.randn(1, 1, 96);            // (B=1, T=1, in)
      Tensor wOutIn = torch.randn(40, 96);         // (out, in)
      Tensor wInOut = torch.randn(96, 40);         // (in, out)
      Tensor bias = torch.randn(40);               // (out)
      assertThat(ThinMatmul.applies(x, wOutIn)).isTrue();
      Tensor lin = ThinMatmul.linear(x, wOutIn, bias);
      assertThat(lin.shape()).containsExactly(1, 1, 40);
      close(lin, torch.linear(x, wOutIn, Tensors.opt(bias)));
      close(ThinMatmul.linear(x, wOutIn, null), torch.linear(x, wOutIn, Tensors.opt(null)));
      Tensor conv = ThinMatmul.matmul(x, wInOut, bias);
      assertThat(conv.shape()).containsExactly(1, 1, 40);
      close(conv, torch.matmul(x, wInOut).add(bias));
      Tensor flat = torch.randn(96);               // (in): a 1-D input stays 1-D
      assertThat(ThinMatmul.linear(flat, wOutIn, bias).shape()).containsExactly(40);
    }
  }

  @Test
  void upToEightRowsTakeTheVectorKernelAndAgreeWithTheMatmulInBothLayouts() {
    assertThat(ThinMatmul.vectorKernel()).as("surefire passes --add-modules jdk.incubator.vector").isTrue();
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      torch.manual_seed(5);
      // in = 203 is not a multiple of any vector length; out = 131 is odd; 70 000 x 7 and 1001 x 300 cross the parallel
      // threshold (1001 x 300 [in, out]: eight partial sums over uneven row blocks)
      for (int[] shape : new int[][] {{203, 131}, {64, 7}, {7, 70_000}, {1001, 300}}) {
        int in = shape[0], out = shape[1];
        Tensor wOutIn = torch.randn(out, in), wInOut = torch.randn(in, out), bias = torch.randn(out);
        for (int rows = 1; rows <= ThinMatmul.MAX_ROWS + 1; rows++) {
          Tensor x = torch.randn(rows, 1, in);                                     // (B, T=1, in)
          assertThat(ThinMatmul.path(x, wOutIn, true)).isEqualTo(rows <= ThinMatmul.MAX_ROWS ? ThinMatmul.Path.VECTOR : ThinMatmul.Path.GEMM);
          assertThat(ThinMatmul.path(x, wInOut, false))
              .isEqualTo(rows <= ThinMatmul.MAX_ROWS_IN_OUT ? ThinMatmul.Path.VECTOR : ThinMatmul.Path.GEMM);
          Tensor lin = ThinMatmul.linear(x, wOutIn, bias);
          assertThat(lin.shape()).containsExactly(rows, 1, out);
          close(lin, torch.linear(x, wOutIn, Tensors.opt(bias)));
          Tensor conv = ThinMatmul.matmul(x, wInOut, null);
          assertThat(conv.shape()).containsExactly(rows, 1, out);
          close(conv, torch.matmul(x, wInOut));
          close(ThinMatmul.matmul(x, wInOut, bias), torch.matmul(x, wInOut).add(bias));
          close(ThinMatmul.linear(x, wOutIn, null), torch.linear(x, wOutIn, Tensors.opt(null)));
        }
      }
    }
  }

  @Test
  void bf16WeightsTakeTheVectorKernelForFewRowsAndSumInFloat32() {
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      torch.manual_seed(11);
      // in = 202: a tail past the vector loop; 8 x 70 000 crosses the parallel threshold
      for (int[] shape : new int[][] {{202, 131}, {64, 7}, {8, 70_000}}) {
        int in = shape[0], out = shape[1];
        Tensor w = torch.randn(out, in).to(torch.ScalarType.BFloat16), bias = torch.randn(out).to(torch.ScalarType.BFloat16);
        for (int rows = 1; rows <= ThinMatmul.MAX_ROWS + 1; rows++) {
          Tensor xf = torch.randn(rows, 1, in), xb = xf.to(torch.ScalarType.BFloat16);   // (B, T=1, in)
          ThinMatmul.Path want = rows <= ThinMatmul.MAX_ROWS ? ThinMatmul.Path.VECTOR : ThinMatmul.Path.GEMM;
          assertThat(ThinMatmul.path(xb, w, true)).isEqualTo(want);
          assertThat(ThinMatmul.path(xf, w, true)).as("mixed dtypes are libtorch's to refuse").isEqualTo(ThinMatmul.Path.GEMM);
          assertThat(ThinMatmul.path(xb, w, false)).as("[in, out] bf16 stays on libtorch").isEqualTo(ThinMatmul.Path.GEMM);
          // the exact sums of the bf16 values in float32, rounded once to bf16: what the kernel must give bit for bit
          // but where a float32 rounding of the sum lands next to a bf16 rounding boundary
          Tensor exact = torch.linear(xb.to(torch.ScalarType.Float), w.to(torch.ScalarType.Float), Tensors.opt(null));
          Tensor plain = ThinMatmul.linear(xb, w, null).to(torch.ScalarType.Float);
          double ulp = Math.pow(2, -7) * (1 + exact.abs().max().item_double());
          assertThat(plain.sub(exact.to(torch.ScalarType.BFloat16).to(torch.ScalarType.Float)).abs().max().item_double()).isLessThanOrEqualTo(ulp);
          Tensor fromBf16 = ThinMatmul.linear(xb, w, bias);                                  // bf16 in, bf16 out
          assertThat(fromBf16.scalar_type().value).isEqualTo(torch.ScalarType.BFloat16.value);
          assertThat(fromBf16.shape()).containsExactly(rows, 1, out);
          Tensor ref = torch.linear(xb, w, Tensors.opt(bias)).to(torch.ScalarType.Float), got = fromBf16.to(torch.ScalarType.Float);
          double tol = 2 * Math.pow(2, -8) * (1 + ref.abs().max().item_double());             // two bf16 roundings
          assertThat(got.sub(ref).abs().max().item_double()).isLessThan(tol);
        }
        Tensor odd = torch.randn(1, 1, in + 1).to(torch.ScalarType.BFloat16), wOdd = torch.randn(out, in + 1).to(torch.ScalarType.BFloat16);
        assertThat(ThinMatmul.path(odd, wOdd, true)).as("an odd input width stays on libtorch").isEqualTo(ThinMatmul.Path.GEMM);
      }
    }
  }

  @Test
  void bf16InOutWeightsOfALayerWithAPackedWeightTakeTheVectorKernelOnTheirOutInCopy() {
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      torch.manual_seed(12);
      Tensor wOutIn = torch.randn(96, 202).to(torch.ScalarType.BFloat16), w = wOutIn.t().contiguous(); // [in, out] as Conv1D stores it
      Tensor bias = torch.randn(96).to(torch.ScalarType.BFloat16), x = torch.randn(3, 1, 202).to(torch.ScalarType.BFloat16);
      PackedWeight pack = new PackedWeight();
      assertThat(ThinMatmul.path(x, w, false, true)).isEqualTo(ThinMatmul.Path.VECTOR);
      assertThat(ThinMatmul.path(x, w, false, false)).as("no copy to read: libtorch").isEqualTo(ThinMatmul.Path.GEMM);
      Tensor got = ThinMatmul.matmul(x, w, bias, pack), want = ThinMatmul.linear(x, wOutIn, bias); // same kernel, same weights
      assertThat(Tensors.toFloats(got.to(torch.ScalarType.Float))).containsExactly(Tensors.toFloats(want.to(torch.ScalarType.Float)));
      w.mul_(new org.bytedeco.pytorch.Scalar(2)); // an in-place write (an optimizer step, a merge): the copy is remade
      Tensor twice = ThinMatmul.matmul(x, w, null, pack).to(torch.ScalarType.Float);
      Tensor ref = torch.matmul(x, w).to(torch.ScalarType.Float);
      assertThat(twice.sub(ref).abs().max().item_double()).isLessThan(2 * Math.pow(2, -8) * (1 + ref.abs().max().item_double()));
    }
  }

  @Test
  void largeInOutProductsGiveTheSameBitsOnOneThreadAndOnTwo() {
    int saved = torch.get_num_threads();
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      torch.manual_seed(9);
      Tensor w = torch.randn(1001, 300), x = torch.randn(2, 1, 1001), bias = torch.randn(300); // past the parallel threshold
      assertThat(ThinMatmul.path(x, w, false)).isEqualTo(ThinMatmul.Path.VECTOR);
      torch.set_num_threads(1);
      float[] one = Tensors.toFloats(ThinMatmul.matmul(x, w, bias));
      torch.set_num_threads(2);
      float[] two = Tensors.toFloats(ThinMatmul.matmul(x, w, bias));
      assertThat(two).as("the partial sums are cut by shape, not by thread count").containsExactly(one);
    } finally {
      torch.set_num_threads(saved);
    }
  }

  @Test
  void moreRowsOtherDtypesGradientsAndTheSwitchesTakeTheOtherPaths() {
    try (NativeScope s = NativeScope.open()) {
      Tensor w = torch.randn(8, 16);
      assertThat(ThinMatmul.path(torch.randn(ThinMatmul.MAX_ROWS + 1, 16), w, true)).isEqualTo(trainingOr(ThinMatmul.Path.GEMM)); // grad mode is on here
      assertThat(ThinMatmul.applies(torch.randn(2, 1, 16), w)).isFalse();
      assertThat(ThinMatmul.applies(torch.randn(1, 16).to(DType.BF16.scalarType()), w)).isFalse();
      Tensor trainable = torch.randn(8, 16).requires_grad_(true);
      assertThat(ThinMatmul.path(torch.randn(1, 16), trainable, true)).isEqualTo(ThinMatmul.Path.GEMV);
      assertThat(ThinMatmul.path(torch.randn(2, 16), trainable, true)).isEqualTo(trainingOr(ThinMatmul.Path.GEMM));
      assertThat(ThinMatmul.path(torch.randn(1, 16), w.t(), true)).as("a non-contiguous weight").isEqualTo(ThinMatmul.Path.GEMV);
      ThinMatmul.vectorKernel(false);
      try {
        assertThat(ThinMatmul.path(torch.randn(1, 16), w, true)).isEqualTo(ThinMatmul.Path.GEMV);
        assertThat(ThinMatmul.path(torch.randn(2, 16), w, true)).isEqualTo(trainingOr(ThinMatmul.Path.GEMM));
      } finally {
        ThinMatmul.vectorKernel(true);
      }
      ThinMatmul.enable(false);
      try {
        assertThat(ThinMatmul.applies(torch.randn(1, 16), w)).isFalse();
      } finally {
        ThinMatmul.enable(true);
      }
      Tensor x = torch.randn(12, 16);
      close(ThinMatmul.linear(x, w, null), torch.linear(x, w, Tensors.opt(null)));
    }
  }

  @Test
  void twoOrMoreRowsOfALayerWithAPackTakeThePrepackedPathWhenSwitchedOnAndAgreeWithTheMatmul() {
    org.junit.jupiter.api.Assumptions.assumeTrue(org.rlhf4j.runtime.OneDnn.available(), org.rlhf4j.runtime.OneDnn.unavailableReason());
    ThinMatmul.Packing saved = ThinMatmul.packing();
    ThinMatmul.packing(ThinMatmul.Packing.ON); // whether or not it measured faster on this machine
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      torch.manual_seed(7);
      Tensor wOutIn = torch.randn(131, 203), wInOut = torch.randn(203, 131), bias = torch.randn(131);
      PackedWeight outIn = new PackedWeight(), inOut = new PackedWeight();
      for (int rows : new int[] {1, 2, 5, 32, ThinMatmul.MAX_PACKED_ROWS, ThinMatmul.MAX_PACKED_ROWS + 1, 300}) {
        Tensor x = torch.randn(rows, 1, 203);                                    // (B, T=1, in)
        ThinMatmul.Path want = rows == 1 ? ThinMatmul.Path.VECTOR : ThinMatmul.Path.PACKED; // switched on: prompts too
        assertThat(ThinMatmul.path(x, wOutIn, true, true)).as("%d rows", rows).isEqualTo(want);
        assertThat(ThinMatmul.path(x, wInOut, false, true)).as("%d rows", rows).isEqualTo(want);
        Tensor lin = ThinMatmul.linear(x, wOutIn, bias, outIn);
        assertThat(lin.shape()).containsExactly(rows, 1, 131);
        close(lin, torch.linear(x, wOutIn, Tensors.opt(bias)));
        close(ThinMatmul.linear(x, wOutIn, null, outIn), torch.linear(x, wOutIn, Tensors.opt(null)));
        close(ThinMatmul.matmul(x, wInOut, bias, inOut), torch.matmul(x, wInOut).add(bias));
      }
    } finally {
      ThinMatmul.packing(saved);
    }
  }

  @Test
  void aPrepackedCopyFollowsInPlaceWritesAndRewritesOfTheWeight() {
    org.junit.jupiter.api.Assumptions.assumeTrue(org.rlhf4j.runtime.OneDnn.available(), org.rlhf4j.runtime.OneDnn.unavailableReason());
    ThinMatmul.Packing saved = ThinMatmul.packing();
    ThinMatmul.packing(ThinMatmul.Packing.ON);
    try (NativeScope s = NativeScope.open(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
      torch.manual_seed(11);
      Tensor w = torch.randn(24, 16), x = torch.randn(4, 16);
      PackedWeight pack = new PackedWeight();
      close(ThinMatmul.linear(x, w, null, pack), torch.linear(x, w, Tensors.opt(null)));
      w.mul_(Tensors.scalar(-2)); // an optimizer step or a LoRA merge: the version counter moves
      close(ThinMatmul.linear(x, w, null, pack), torch.linear(x, w, Tensors.opt(null)));
      // a write the version counter does not see (a collective into the storage), then reported
      new org.bytedeco.javacpp.FloatPointer(w.data_ptr()).put(new float[24 * 16]);
      org.rlhf4j.runtime.OneDnn.markWeightsRewritten();
      assertThat(Tensors.toFloats(ThinMatmul.linear(x, w, null, pack))).containsOnly(0f);
      Tensor trainable = torch.randn(24, 16).requires_grad_(true);
      try (org.bytedeco.pytorch.AutoGradMode on = new org.bytedeco.pytorch.AutoGradMode(true)) {
        assertThat(ThinMatmul.path(x, trainable, true, true)).as("a weight that needs its gradient").isEqualTo(trainingOr(ThinMatmul.Path.GEMM));
      }
      assertThat(ThinMatmul.path(x, w, true, true)).isEqualTo(ThinMatmul.Path.PACKED);
      try (org.rlhf4j.runtime.Autocast ac = org.rlhf4j.runtime.Autocast.enable(org.rlhf4j.runtime.Device.CPU, DType.BF16)) {
        assertThat(ThinMatmul.path(x, w, true, true)).as("under autocast (oneDNN's op would run in float32)").isNotEqualTo(ThinMatmul.Path.PACKED);
      }
      assertThat(org.rlhf4j.runtime.Backprop.withoutGraph(() -> ThinMatmul.path(x, w, true, true)))
          .as("a checkpointed first pass: its recompute runs on libtorch's kernel").isNotEqualTo(ThinMatmul.Path.PACKED);
      ThinMatmul.packing(ThinMatmul.Packing.OFF);
      assertThat(ThinMatmul.path(x, w, true, true)).isEqualTo(ThinMatmul.Path.VECTOR);
    } finally {
      ThinMatmul.packing(saved);
    }
    assertThat(ThinMatmul.packingFromEnv(null)).isEqualTo(ThinMatmul.Packing.AUTO);
    assertThat(ThinMatmul.packingFromEnv(" On ")).isEqualTo(ThinMatmul.Packing.ON);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ThinMatmul.packingFromEnv("fast")).hasMessageContaining("RLHF4J_ONEDNN");
  }

  @Test
  void gradientsFlowThroughTheGemvPath() {
    try (NativeScope s = NativeScope.open()) {
      Tensor x = torch.randn(1, 16).requires_grad_(true);
      Tensor w = torch.randn(8, 16).requires_grad_(true);
      ThinMatmul.linear(x, w, null).sum().backward();
      // d sum(W x) / dx = column sums of W; / dW = x broadcast over rows
      close(x.grad(), w.detach().sum(new long[] {0}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
      close(w.grad(), x.detach().expand(8, 16));
    }
  }

  private static void close(Tensor a, Tensor b) {
    float[] x = Tensors.toFloats(a), y = Tensors.toFloats(b);
    assertThat(x).hasSameSizeAs(y);
    for (int i = 0; i < x.length; i++) assertThat((double) x[i]).as("element %d", i).isCloseTo(y[i], within(1e-4 * (1 + Math.abs(y[i]))));
  }

  /** What a product that trains takes: {@code TRAINING} where oneDNN measured faster for training here, else {@code p}. */
  private static ThinMatmul.Path trainingOr(ThinMatmul.Path p) { return ThinMatmul.trainingKernel() ? ThinMatmul.Path.TRAINING : p; }

  @Test
  void productsThatTrainTakeOneDnnThroughAutogradWithTheSameValuesAndGradients() {
    org.junit.jupiter.api.Assumptions.assumeTrue(org.rlhf4j.runtime.OneDnn.available(), org.rlhf4j.runtime.OneDnn.unavailableReason());
    ThinMatmul.Packing saved = ThinMatmul.packing();
    ThinMatmul.packing(ThinMatmul.Packing.ON); // whether or not it measured faster on this machine
    try (NativeScope s = NativeScope.open()) {
      torch.manual_seed(13);
      for (boolean outIn : new boolean[] {true, false}) {
        Tensor w = (outIn ? torch.randn(131, 203) : torch.randn(203, 131)).requires_grad_(true), bias = torch.randn(131).requires_grad_(true);
        Tensor x = torch.randn(3, 5, 203).requires_grad_(true);                  // (B, T, in)
        assertThat(ThinMatmul.path(x, w, outIn, true)).isEqualTo(ThinMatmul.Path.TRAINING);
        Tensor up = torch.randn(3, 5, 131);                                      // d loss / d y
        Tensor y = outIn ? ThinMatmul.linear(x, w, bias, new PackedWeight()) : ThinMatmul.matmul(x, w, bias, new PackedWeight()); // (B, T, out)
        assertThat(y.shape()).containsExactly(3, 5, 131);
        y.mul(up).sum().backward();
        Tensor gx = x.grad().clone(), gw = w.grad().clone(), gb = bias.grad().clone();
        x.grad().zero_(); w.grad().zero_(); bias.grad().zero_();
        Tensor ref = outIn ? torch.linear(x, w, Tensors.opt(bias)) : torch.matmul(x, w).add(bias);
        ref.mul(up).sum().backward();
        close(y.detach(), ref.detach());
        close(gx, x.grad());
        close(gw, w.grad());
        close(gb, bias.grad());
        assertThat(org.rlhf4j.runtime.Backprop.withoutGraph(() -> ThinMatmul.path(x, w, outIn, true)))
            .as("a checkpointed first pass multiplies as its recompute will").isEqualTo(ThinMatmul.Path.TRAINING);
      }
      try (org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
        assertThat(ThinMatmul.path(torch.randn(5, 16), torch.randn(8, 16), true, true)).as("inference").isEqualTo(ThinMatmul.Path.PACKED);
      }
      try (org.rlhf4j.runtime.Autocast ac = org.rlhf4j.runtime.Autocast.enable(org.rlhf4j.runtime.Device.CPU, DType.BF16)) {
        assertThat(ThinMatmul.path(torch.randn(5, 16), torch.randn(8, 16), true, true)).as("under autocast").isEqualTo(ThinMatmul.Path.GEMM);
      }
      ThinMatmul.packing(ThinMatmul.Packing.OFF);
      assertThat(ThinMatmul.path(torch.randn(5, 16), torch.randn(8, 16), true, true)).as("switched off").isEqualTo(ThinMatmul.Path.GEMM);
    } finally {
      ThinMatmul.packing(saved);
    }
  }
}
