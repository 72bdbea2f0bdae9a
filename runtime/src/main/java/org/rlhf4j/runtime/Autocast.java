package org.rlhf4j.runtime;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Mixed-precision autocast for a block: matmuls run in bf16 (or f16) while parameters stay
 * f32. {@code try (var ac = Autocast.enable(device, DType.BF16)) { ... }}. F32 is a no-op.
 */
public final class Autocast implements AutoCloseable {
  private final DeviceType type;
  private final boolean wasEnabled;
  private final ScalarType previousType;
  private final boolean active;

  private Autocast(Device device, DType dtype) {
    this.type = device.deviceType();
    this.active = dtype != DType.F32;
    this.wasEnabled = torch.is_autocast_enabled(type);
    this.previousType = torch.get_autocast_dtype(type);
    if (active) {
      if (dtype != DType.BF16 && dtype != DType.F16) {
        throw new IllegalArgumentException("autocast supports bf16 or f16, not " + dtype);
      }
      // The autocast weight-cast cache is only cleared by Python's context manager; libtorch's
      // C++ API does not expose the clear, so a cached bf16 copy would go stale after an
      // optimizer step. Casting per use costs little next to the matmuls it feeds.
      torch.set_autocast_cache_enabled(false);
      torch.set_autocast_dtype(type, dtype.scalarType());
      torch.set_autocast_enabled(type, true);
    }
  }

  public static Autocast enable(Device device, DType dtype) { return new Autocast(device, dtype); }

  /** The dtype autocast computes in on {@code device} now: F32 when it is off (what a recompute re-enables). */
  public static DType current(Device device) {
    DeviceType t = device.deviceType();
    return torch.is_autocast_enabled(t) ? DType.of(torch.get_autocast_dtype(t)) : DType.F32;
  }

  @Override public void close() {
    if (!active) return;
    torch.set_autocast_enabled(type, wasEnabled);
    torch.set_autocast_dtype(type, previousType);
  }
}
