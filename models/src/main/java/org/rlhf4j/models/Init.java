package org.rlhf4j.models;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;

/** Fresh weights for a config, drawn in the order the family declares them and named as the checkpoint names them. */
final class Init implements ParameterLayout {
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Device device;
  private final double residualStd;

  private Init(ModelConfig c, Device device) {
    this.device = device;
    this.residualStd = STD / Math.sqrt(2.0 * c.numLayers());
  }

  static Map<String, Tensor> weights(ModelConfig c, long seed, Device device) {
    Runtime.seed(seed);
    Init init = new Init(c, device);
    c.family().layout(c, init);
    if (!c.tieWordEmbeddings()) init.weight("lm_head.weight", false, c.vocabSize(), c.hiddenSize());
    return init.tensors;
  }

  @Override public void embedding(String name, double std, long rows, long cols) { put(name, normal(std, rows, cols)); }

  @Override public void weight(String name, boolean residual, long rows, long cols) {
    put(name, normal(residual ? residualStd : STD, rows, cols));
  }

  @Override public void ones(String name, long size) { put(name, Tensors.ones(DType.F32, device, size)); }

  @Override public void zeros(String name, long size) { put(name, Tensors.zeros(DType.F32, device, size)); }

  private void put(String name, Tensor t) {
    if (tensors.put(name, t) != null) throw new IllegalStateException("parameter '" + name + "' declared twice");
  }

  private Tensor normal(double std, long... shape) {
    return torch.randn(shape, Tensors.options(DType.F32, device)).mul_(Tensors.scalar(std)); // in place: no unscaled copy held until GC
  }
}
