package org.rlhf4j.demo.pipeline;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;

/** Summed log-probabilities of responses given prompts, batched with left padding. */
final class SequenceLogProbs {
  private SequenceLogProbs() {}

  static double[] of(CausalLM model, List<long[]> prompts, List<long[]> responses, int padId) {
    int b = prompts.size();
    int t = 0;
    for (int i = 0; i < b; i++) t = Math.max(t, prompts.get(i).length + responses.get(i).length);
    long[][] ids = new long[b][t], mask = new long[b][t], target = new long[b][t];
    for (int i = 0; i < b; i++) {
      long[] p = prompts.get(i), r = responses.get(i);
      int pad = t - p.length - r.length;
      java.util.Arrays.fill(ids[i], padId);
      System.arraycopy(p, 0, ids[i], pad, p.length);
      System.arraycopy(r, 0, ids[i], pad + p.length, r.length);
      for (int j = pad; j < t; j++) mask[i][j] = 1;
      for (int j = pad + p.length; j < t; j++) target[i][j] = 1; // response positions
    }
    double[] out = new double[b];
    try (NativeScope s = NativeScope.open(); NoGradGuard g = new NoGradGuard()) {
      Tensor idsT = Tensors.longs(ids, model.device());                                  // (B, T)
      Tensor logp = model.forward(idsT, Tensors.longs(mask, model.device())).logits()
          .narrow(1, 0, t - 1).log_softmax(-1);                                          // (B, T-1, V)
      Tensor next = idsT.narrow(1, 1, t - 1).unsqueeze(-1);                              // (B, T-1, 1)
      float[] tok = Tensors.toFloats(logp.gather(2, next).squeeze(-1));                  // (B, T-1)
      for (int i = 0; i < b; i++) {
        for (int j = 1; j < t; j++) if (target[i][j] == 1) out[i] += tok[i * (t - 1) + j - 1];
      }
    }
    return out;
  }
}
