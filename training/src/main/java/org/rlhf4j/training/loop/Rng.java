package org.rlhf4j.training.loop;

import java.util.Base64;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.NativeScope;

/**
 * Saves and restores libtorch's default CPU generator (mt19937 + normal cache, a 5056-byte
 * tensor from {@code Generator.get_state()}). CUDA generator state is not captured (rlhf4j
 * ships CPU natives only); on a GPU a resumed run's CUDA random numbers differ from those of
 * the uninterrupted run.
 */
final class Rng {
  private Rng() {}

  static String cpuState() {
    try (NativeScope scope = NativeScope.open()) {
      Tensor state = torch.getDefaultCPUGenerator().get_state().contiguous(); // (5056,) uint8
      byte[] bytes = new byte[(int) state.numel()];
      state.data_ptr_byte().get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
  }

  static void restoreCpuState(String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    try (NativeScope scope = NativeScope.open()) {
      Tensor state = torch.empty(new long[] {bytes.length}, new TensorOptions(torch.ScalarType.Byte), null); // (N,) uint8
      state.data_ptr_byte().put(bytes);
      Generator g = torch.getDefaultCPUGenerator();
      g.set_state(state);
    }
  }
}
