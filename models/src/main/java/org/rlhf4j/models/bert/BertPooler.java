package org.rlhf4j.models.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.nn.Linear;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.Tensors;

/**
 * Hugging Face {@code BertPooler}: tanh(dense(hidden state of the first token, [CLS])), the
 * "pooled output" that {@code BertForSequenceClassification} feeds to its classifier.
 * Parameters are named {@code pooler.dense.weight} [H, H] and {@code pooler.dense.bias} [H].
 */
public final class BertPooler implements HasParameters {
  public static final String WEIGHT = "pooler.dense.weight", BIAS = "pooler.dense.bias";

  private final Linear dense;

  private BertPooler(Linear dense) { this.dense = dense; }

  /** The pooler stored in {@code weights} (HF names), or null when the checkpoint has none. */
  static BertPooler from(Params p, Map<String, Tensor> weights, BertConfig c) {
    if (!weights.containsKey(WEIGHT)) return null;
    return new BertPooler(p.linear("pooler.dense", c.hiddenSize(), c.hiddenSize()));
  }

  /** A fresh pooler as transformers initialises one: weight normal(0, 0.02), bias 0; trainable. */
  public static BertPooler random(int hidden, long seed, Device device) {
    org.rlhf4j.runtime.Runtime.seed(seed);
    Tensor w = torch.randn(new long[] {hidden, hidden}, Tensors.options(DType.F32, device)).mul(new Scalar(0.02));
    Tensor b = Tensors.zeros(DType.F32, device, hidden);
    w.set_requires_grad(true);
    b.set_requires_grad(true);
    return new BertPooler(new Linear(w, b));
  }

  /** Last hidden states (B, T, H) to the pooled output (B, H). */
  public Tensor forward(Tensor hidden) {
    return dense(hidden.select(1, 0));           // (B, H): the [CLS] position
  }

  /** tanh(dense(v)) of an already pooled vector (B, H), e.g. a mean over tokens: (B, H). */
  public Tensor dense(Tensor pooled) {
    return torch.tanh(dense.forward(pooled));    // (B, H)
  }

  @Override public Map<String, Tensor> parameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put(WEIGHT, dense.weight());
    m.put(BIAS, dense.bias());
    return m;
  }
}
