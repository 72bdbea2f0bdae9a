package org.rlhf4j.models.bert;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.rlhf4j.models.nn.LayerNorm;
import org.rlhf4j.models.nn.Linear;
import org.rlhf4j.runtime.Device;

/**
 * Hands out trainable parameters by Hugging Face name from a source map (HF layout), checking
 * each shape, and records them in load order for {@code parameters()}.
 */
final class Params {
  private final Map<String, Tensor> source;
  private final Device device;
  private final String origin;
  private final Map<String, Tensor> taken = new LinkedHashMap<>();

  Params(Map<String, Tensor> source, Device device, String origin) {
    this.source = source;
    this.device = device;
    this.origin = origin;
  }

  /** The named tensor as a float32 leaf on the device with requires_grad set; shape must match. */
  Tensor take(String name, long... shape) {
    Tensor t = source.get(name);
    if (t == null) throw new IllegalArgumentException(origin + " lacks weight '" + name + "'");
    long[] actual = t.sizes().vec().get();
    if (!Arrays.equals(actual, shape)) {
      throw new IllegalArgumentException(origin + ": weight '" + name + "' has shape " + Arrays.toString(actual)
          + ", the config needs " + Arrays.toString(shape));
    }
    Tensor p = t.to(device.torch(), ScalarType.Float).detach().contiguous().clone();
    p.set_requires_grad(true);
    taken.put(name, p);
    return p;
  }

  /** {@code prefix.weight} [out, in] and {@code prefix.bias} [out]. */
  Linear linear(String prefix, long out, long in) {
    return new Linear(take(prefix + ".weight", out, in), take(prefix + ".bias", out));
  }

  /** {@code prefix.weight} and {@code prefix.bias}, both [size]. */
  LayerNorm layerNorm(String prefix, long size, double eps) {
    return new LayerNorm(take(prefix + ".weight", size), take(prefix + ".bias", size), eps);
  }

  Map<String, Tensor> taken() { return Collections.unmodifiableMap(taken); }
}
