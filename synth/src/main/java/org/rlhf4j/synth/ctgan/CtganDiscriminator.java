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
 * CTGAN's PacGAN critic: {@code pac} rows are judged together (their (data | condition) vectors concatenated), through
 * Linear - LeakyReLU(0.2) - Dropout(0.5) blocks to one score.
 */
public final class CtganDiscriminator implements HasParameters {
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final int layers, pac, packedDim;

  public CtganDiscriminator(int inputDim, List<Integer> dims, int pac, Device device) {
    this.pac = pac;
    this.packedDim = inputDim * pac;
    int in = packedDim;
    for (int i = 0; i < dims.size(); i++) {
      Layers.linear(params, "seq." + i, in, dims.get(i), device);
      in = dims.get(i);
    }
    Layers.linear(params, "out", in, 1, device);
    layers = dims.size();
  }

  public int pac() { return pac; }

  /** (B, inputDim) -> (B / pac, 1); dropout only when {@code train}. */
  public Tensor forward(Tensor x, boolean train) {
    Tensor h = x.reshape(-1, packedDim); // (B / pac, pac * inputDim)
    for (int i = 0; i < layers; i++) {
      h = torch.leaky_relu(Layers.applyLinear(params, "seq." + i, h), Tensors.scalar(0.2)); // (B / pac, d_i)
      h = torch.dropout(h, 0.5, train);
    }
    return Layers.applyLinear(params, "out", h); // (B / pac, 1)
  }

  @Override public Map<String, Tensor> parameters() { return params; }
}
