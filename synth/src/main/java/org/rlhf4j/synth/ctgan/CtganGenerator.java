package org.rlhf4j.synth.ctgan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.Tensors;

/**
 * CTGAN's generator: residual blocks {@code h = relu(bn(fc(x))); x = [h, x]} over the (noise | condition) input,
 * then a linear layer to the data width (raw outputs; {@link GanLosses#activate} applies tanh / Gumbel-softmax).
 */
public final class CtganGenerator implements HasParameters {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final int layers;

  public CtganGenerator(int inputDim, List<Integer> dims, int dataDim, Device device) {
    int in = inputDim;
    for (int i = 0; i < dims.size(); i++) {
      Layers.linear(params, "residual." + i + ".fc", in, dims.get(i), device);
      Layers.batchNorm(params, "residual." + i + ".bn", dims.get(i), device);
      in += dims.get(i);
    }
    Layers.linear(params, "out", in, dataDim, device);
    layers = dims.size();
  }

  /** (B, noise + cond) -> (B, dataDim) */
  public Tensor forward(Tensor x) {
    for (int i = 0; i < layers; i++) {
      Tensor h = torch.relu(Layers.applyBatchNorm(params, "residual." + i + ".bn",
          Layers.applyLinear(params, "residual." + i + ".fc", x))); // (B, d_i)
      x = Tensors.cat(1, h, x); // (B, d_i + in)
    }
    return Layers.applyLinear(params, "out", x); // (B, dataDim)
  }

  @Override public Map<String, Tensor> parameters() { return params; }
}
