package org.rlhf4j.models.generate;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Picks the next token from last-position logits (B, V). */
final class Sampler {
  private Sampler() {}

  /** Returns {tokens (B, 1) int64, log-probs (B, 1) float32}. */
  static Tensor[] next(Tensor logits, SamplingConfig cfg) {
    Tensor scaled = logits.to(torch.ScalarType.Float);                               // (B, V)
    if (!cfg.greedy()) scaled = scaled.div(new Scalar(cfg.temperature()));
    Tensor logp = scaled.log_softmax(-1);                                              // (B, V)
    Tensor token;
    if (cfg.greedy()) {
      token = torch.argmax(scaled, new org.bytedeco.pytorch.LongOptional(-1), true);  // (B, 1)
    } else {
      Tensor probs = filtered(scaled, cfg).softmax(-1);                                // (B, V)
      token = torch.multinomial(probs, 1);                                             // (B, 1)
    }
    return new Tensor[] {token, logp.gather(1, token)};                               // (B, 1) x2
  }

  /** Sets logits outside the top-k and the top-p nucleus to -inf. */
  private static Tensor filtered(Tensor logits, SamplingConfig cfg) {
    if (cfg.topK() == 0 && cfg.topP() >= 1.0) return logits;
    T_TensorTensor_T sorted = torch.sort(logits, -1, true);
    Tensor values = sorted.get0();                                                     // (B, V) descending
    Tensor index = sorted.get1();                                                      // (B, V)
    long v = logits.size(1);
    Tensor rank = torch.arange(new Scalar(v)).unsqueeze(0);                            // (1, V)
    Tensor drop = rank.ge(new Scalar(cfg.topK() == 0 ? v : cfg.topK()));                // (1, V)
    if (cfg.topP() < 1.0) {
      Tensor p = values.softmax(-1);                                                   // (B, V)
      Tensor before = p.cumsum(-1).sub(p);                                             // (B, V) mass strictly before
      drop = drop.logical_or(before.gt(new Scalar(cfg.topP())));                       // (B, V); the top token is always kept
    }
    Tensor kept = values.masked_fill(drop, new Scalar(Double.NEGATIVE_INFINITY));       // (B, V)
    return torch.full(logits.shape(), new Scalar(Double.NEGATIVE_INFINITY)).scatter(1, index, kept); // (B, V)
  }
}
