package org.rlhf4j.training.rollout;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.TokenLogprobs;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.loss.LogProbs;

/**
 * Prompts with responses as one batch: prompts left-padded to P tokens, responses right-padded to
 * R tokens, so every response starts at column P. The logits at columns P-1 .. P+R-2 predict
 * the response tokens (and the value head reads the same positions, TRL's
 * {@code context_length - 1 : -1}).
 *
 * @param ids          (B, P+R) int64, padding = padId
 * @param mask         (B, P+R) int64 0/1 attention mask
 * @param responseIds  (B, R) int64
 * @param responseMask (B, R) float32 0/1
 * @param promptLength P
 */
public record ResponseBatch(Tensor ids, Tensor mask, Tensor responseIds, Tensor responseMask, int promptLength) {

  /**
   * Response log-probs, logits and hidden states at the positions predicting each response token; {@code logits} is
   * null from {@link #chunkedForward}, which never materialises them; {@link #chunkedForwardWithEntropy} computes the
   * per-token entropy (B, R) from its chunks instead ({@code tokenEntropy}, null otherwise).
   */
  public record Forward(Tensor logprobs, Tensor logits, Tensor hidden, Tensor tokenEntropy) {
    public Forward(Tensor logprobs, Tensor logits, Tensor hidden) { this(logprobs, logits, hidden, null); }

    /** Entropy of the (temperature-scaled) softmax at each response position (B, R), without gradient. */
    public Tensor entropy() {
      if (tokenEntropy != null) return tokenEntropy;
      if (logits == null) throw new IllegalStateException("this forward kept neither logits nor entropies");
      return LogProbs.entropy(logits.detach()); // (B, R)
    }
  }

  /** Builds the batch; every prompt needs at least one token, responses may be empty (R >= 1 anyway). */
  public static ResponseBatch of(List<long[]> prompts, List<long[]> responses, int padId, Device device) {
    return of(prompts, responses, padId, device, 1);
  }

  /** As {@link #of(List, List, int, Device)} with R at least {@code minResponseLength} (fixed-width chunks). */
  public static ResponseBatch of(List<long[]> prompts, List<long[]> responses, int padId, Device device,
      int minResponseLength) {
    if (prompts.size() != responses.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + responses.size() + " responses");
    }
    if (prompts.isEmpty()) throw new IllegalArgumentException("empty batch");
    int b = prompts.size();
    int p = prompts.stream().mapToInt(x -> x.length).max().orElse(0);
    int r = Math.max(Math.max(1, minResponseLength), responses.stream().mapToInt(x -> x.length).max().orElse(0));
    long[][] ids = new long[b][p + r], mask = new long[b][p + r], rIds = new long[b][r];
    float[] rMask = new float[b * r];
    for (int i = 0; i < b; i++) {
      long[] pr = prompts.get(i), re = responses.get(i);
      if (pr.length == 0) throw new IllegalArgumentException("prompt " + i + " is empty: at least one token (e.g. BOS) is needed");
      java.util.Arrays.fill(ids[i], padId);
      java.util.Arrays.fill(rIds[i], padId);
      int pad = p - pr.length;
      System.arraycopy(pr, 0, ids[i], pad, pr.length);
      System.arraycopy(re, 0, ids[i], p, re.length);
      System.arraycopy(re, 0, rIds[i], 0, re.length);
      java.util.Arrays.fill(mask[i], pad, p + re.length, 1);
      java.util.Arrays.fill(rMask, i * r, i * r + re.length, 1f);
    }
    return new ResponseBatch(Tensors.longs(ids, device), Tensors.longs(mask, device), Tensors.longs(rIds, device),
        Tensors.floats(rMask, device, b, r), p);
  }

  public int responseLength() { return (int) responseIds.size(1); }

  public int size() { return (int) ids.size(0); }

  /**
   * One forward of {@code model}: response log-probs (B, R) under logits / temperature (TRL
   * divides by temperature + 1e-7 so the log-probs match the sampling distribution), logits
   * (B, R, V) and hidden states (B, R, C). Gradients flow when the model requires them.
   */
  public Forward forward(CausalLM model, double temperature) {
    CausalLM.Output out = model.forward(ids, mask);
    int r = responseLength();
    Tensor hidden = out.hidden().narrow(1, promptLength - 1, r); // (B, R, C)
    Tensor logits = out.logits().narrow(1, promptLength - 1, r); // (B, R, V)
    Tensor scaled = temperature == 1.0 ? logits : logits.div(new Scalar(temperature + 1e-7)); // (B, R, V)
    Tensor logps = LogProbs.gather(scaled, responseIds).mul(responseMask); // (B, R)
    return new Forward(logps, scaled, hidden);
  }

  /**
   * As {@link #forward}, but the response log-probs (B, R) under logits / temperature come from
   * {@link TokenLogprobs}, a chunk of {@code chunkTokens} tokens at a time (0 auto, -1 one chunk), so the (B, R, V)
   * logits never exist at once (the returned {@code logits} is null, and so are the entropies: see
   * {@link #chunkedForwardWithEntropy}). The hidden states are a {@link Backprop#branch} of the model's, so a value
   * head may read them too. Gradients flow when the model requires them; backward must then run through
   * {@link Backprop#backward}, as the loop's does.
   */
  public Forward chunkedForward(CausalLM model, double temperature, long chunkTokens) {
    return chunked(model, temperature, chunkTokens, false);
  }

  /** As {@link #chunkedForward(CausalLM, double, long)}, with each position's entropy from the same chunks (PPO, GRPO). */
  public Forward chunkedForwardWithEntropy(CausalLM model, double temperature, long chunkTokens) {
    return chunked(model, temperature, chunkTokens, true);
  }

  private Forward chunked(CausalLM model, double temperature, long chunkTokens, boolean entropy) {
    Tensor hidden = Backprop.branch(model.hidden(ids, mask).narrow(1, promptLength - 1, responseLength())); // (B, R, C)
    Tensor scaled = temperature == 1.0 ? hidden : hidden.div(new Scalar(temperature + 1e-7));              // (B, R, C): (h / t) W = logits / t
    Tensor w = model.lmHeadWeight();
    TokenLogprobs.Scored s = entropy ? TokenLogprobs.computeWithEntropy(scaled, w, responseIds, chunkTokens)
        : new TokenLogprobs.Scored(TokenLogprobs.compute(scaled, w, responseIds, chunkTokens), null, null);
    return new Forward(s.logprobs().mul(responseMask), null, hidden, s.entropy());                        // (B, R), -, (B, R, C), (B, R) or null
  }

  /** {@link #chunkedForward(CausalLM, double, long)} at temperature 1 (DPO's log-probs). */
  public Forward chunkedForward(CausalLM model, long chunkTokens) {
    return chunkedForward(model, 1.0, chunkTokens);
  }

  /**
   * The mean over the vocabulary of each position's logit (B, R), without gradients and without the logits:
   * mean_v(h . W_v) = h . mean_v(W) for the LM head W (V, C) (TRL's {@code logits/chosen} input).
   */
  public static Tensor meanLogits(CausalLM model, Tensor hidden) {
    try (NoGradGuard ng = new NoGradGuard()) {
      Tensor w = model.lmHeadWeight().detach();                                                          // (V, C)
      Tensor meanRow = w.to(DType.F32.scalarType()).mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()); // (C)
      return hidden.detach().to(DType.F32.scalarType()).matmul(meanRow);                                 // (B, R)
    }
  }

  /** Sum of response log-probs per row (B), temperature 1: DPO's sequence log-prob. */
  public Tensor sequenceLogprobs(CausalLM model) {
    return chunkedForward(model, 0).logprobs().sum(1); // (B), never the (B, R, V) logits
  }

  /**
   * Summed response log-probs (temperature 1) of {@code model} for each (prompt, response) row, without gradients,
   * {@code chunk} rows per forward: e.g. the sequence KL between a policy and its reference on the policy's samples.
   */
  public static double[] sequenceLogprobs(CausalLM model, List<long[]> prompts, List<long[]> responses, int padId,
      int chunk) {
    double[] out = new double[prompts.size()];
    for (int from = 0; from < prompts.size(); from += chunk) {
      int to = Math.min(prompts.size(), from + chunk);
      try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
        ResponseBatch rb = of(prompts.subList(from, to), responses.subList(from, to), padId, model.device());
        float[] v = Tensors.toFloats(rb.sequenceLogprobs(model)); // (b)
        for (int i = 0; i < v.length; i++) out[from + i] = v[i];
      }
    }
    return out;
  }

  /** Number of real response tokens per row. */
  public long[] responseLengths() {
    return Tensors.toLongs(responseMask.sum(1).to(DType.I64.scalarType())); // (B)
  }
}
