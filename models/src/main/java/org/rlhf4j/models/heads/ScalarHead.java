package org.rlhf4j.models.heads;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;

/**
 * A linear map from hidden states (.., C) to one number: the score head of a reward model
 * (Hugging Face {@code score.weight}, no bias, as *ForSequenceClassification saves it) or the
 * value head of PPO (TRL's {@code v_head.summary.weight/bias}), or the {@code classifier.weight/bias} of
 * {@code BertForSequenceClassification} on the pooled output.
 */
public final class ScalarHead implements HasParameters {
  public enum Kind {
    SCORE("score.weight", null), VALUE("v_head.summary.weight", "v_head.summary.bias"),
    /** BERT-style sequence classifiers' {@code classifier.weight/bias} (one label). */
    CLASSIFIER("classifier.weight", "classifier.bias");
    final String weightName;
    final String biasName;
    Kind(String w, String b) { weightName = w; biasName = b; }
  }

  private final Kind kind;
  private final Tensor weight; // (1, C)
  private final Tensor bias;   // (1) or null

  private ScalarHead(Kind kind, Tensor weight, Tensor bias) {
    this.kind = kind;
    this.weight = weight;
    this.bias = bias;
  }

  /** A fresh head: weights normal(0, 1/sqrt(C+1)) as TRL initialises value heads; bias zero. */
  public static ScalarHead random(Kind kind, int hidden, long seed, Device device) {
    org.rlhf4j.runtime.Runtime.seed(seed);
    Tensor w = torch.randn(new long[] {1, hidden}, Tensors.options(DType.F32, device)).mul(new Scalar(1.0 / Math.sqrt(hidden + 1.0)));
    Tensor b = kind.biasName == null ? null : Tensors.zeros(DType.F32, device, 1);
    return new ScalarHead(kind, w, b);
  }

  /** The head stored among {@code tensors} (e.g. read from a sequence-classification checkpoint), or null when absent. */
  public static ScalarHead from(Kind kind, Map<String, Tensor> tensors, int hidden) {
    Tensor w = tensors.get(kind.weightName);
    if (w == null) return null;
    if (w.size(0) != 1 || w.size(1) != hidden) {
      throw new org.rlhf4j.runtime.CheckpointException("tensor '" + kind.weightName + "' has shape "
          + java.util.Arrays.toString(w.shape()) + ", expected [1, " + hidden + "] (a single-label head)");
    }
    Tensor b = kind.biasName == null ? null : tensors.get(kind.biasName);
    return new ScalarHead(kind, w.to(torch.ScalarType.Float), b == null ? null : b.to(torch.ScalarType.Float));
  }

  /** Reads the head saved next to a model ({@code model.safetensors} or {@code <kind>_head.safetensors}). */
  public static ScalarHead load(Kind kind, Path dir, int hidden) {
    return from(kind, Safetensors.loadDir(dir), hidden);
  }

  /** Scores every position: hidden (B, T, C) to (B, T). */
  public Tensor forward(Tensor hidden) {
    return torch.linear(hidden.to(weight.scalar_type()), weight, Tensors.opt(bias)).squeeze(-1); // (B, T)
  }

  /** Scores the last real token of each row: hidden (B, T, C), mask (B, T) of 0/1 (left or right padding). */
  public Tensor lastToken(Tensor hidden, Tensor mask) {
    Tensor all = forward(hidden);                                                          // (B, T)
    return all.gather(1, lastIndex(mask)).squeeze(1);                                      // (B)
  }

  /** Index of the last real token per row: (B, 1). */
  public static Tensor lastIndex(Tensor mask) {
    long t = mask.size(1);
    Tensor pos = torch.arange(new Scalar(1), new Scalar(t + 1), Tensors.options(DType.I64, Device.CPU)).to(mask.device(), torch.ScalarType.Long); // (T)
    Tensor weighted = mask.to(torch.ScalarType.Long).mul(pos);                             // (B, T)
    return torch.argmax(weighted, new org.bytedeco.pytorch.LongOptional(1), true);         // (B, 1)
  }

  public Kind kind() { return kind; }

  /** This head on {@code device} (itself when already there). */
  public ScalarHead to(Device device) {
    if (weight.device().is_cpu() && !device.isCuda()) return this;
    Tensor w = weight.to(device.torch(), weight.scalar_type());
    return new ScalarHead(kind, w, bias == null ? null : bias.to(device.torch(), bias.scalar_type()));
  }

  @Override public Map<String, Tensor> parameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put(kind.weightName, weight);
    if (bias != null) m.put(kind.biasName, bias);
    return m;
  }
}
