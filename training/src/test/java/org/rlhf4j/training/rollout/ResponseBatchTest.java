package org.rlhf4j.training.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.ppo.TinyTask;

/**
 * chunkedForward against forward, in PPO's shape: a loss on the log-probs (at a temperature) and on a value head
 * reading the same hidden states, so the backbone receives gradient from the head's deferred recompute and from the
 * value head; values, entropies and every parameter's gradient equal.
 */
class ResponseBatchTest {
  private static ResponseBatch batch() {
    Random r = new Random(3);
    List<long[]> prompts = TinyTask.prompts(3, 5), responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) responses.add(TinyTask.response(r, 3 + i, 1)); // ragged: padding is masked
    return ResponseBatch.of(prompts, responses, 0, Device.CPU);
  }

  private static Tensor loss(ResponseBatch.Forward f, ScalarHead head, ResponseBatch rb) {
    Tensor values = head.forward(f.hidden());                                       // (B, R)
    return f.logprobs().mul(Tensors.scalar(0.7)).add(values.mul(values).mul(rb.responseMask())).sum(); // ()
  }

  private static double[] grads(CausalLM m, ScalarHead head) {
    List<Double> out = new ArrayList<>();
    List<Tensor> ps = new ArrayList<>(new java.util.TreeMap<>(m.parameters()).values());
    ps.addAll(new java.util.TreeMap<>(head.parameters()).values());
    for (Tensor p : ps) {
      Tensor g = p.grad();
      for (float x : g.defined() ? Tensors.toFloats(g) : new float[(int) p.numel()]) out.add((double) x);
      if (g.defined()) g.zero_();
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @ParameterizedTest
  @CsvSource({"1,1.0,false", "2,0.7,false", "2,0.7,true", "0,1.3,true", "-1,0.7,false"})
  void chunkedForwardWithASharedValueHeadHasTheFullForwardsGradients(long chunk, double temperature, boolean checkpointing) {
    CausalLM policy = TinyTask.policy(9).gradientCheckpointing(checkpointing);
    ScalarHead head = ScalarHead.random(ScalarHead.Kind.VALUE, policy.config().hiddenSize(), 2, Device.CPU);
    head.parameters().values().forEach(t -> t.requires_grad_(true));
    ResponseBatch rb = batch();
    try (NativeScope s = NativeScope.open()) {
      ResponseBatch.Forward full = rb.forward(policy, temperature);
      float[] lp = Tensors.toFloats(full.logprobs()), ent = Tensors.toFloats(full.entropy());
      Backprop.backward(loss(full, head, rb));
      double[] expected = grads(policy, head);

      ResponseBatch.Forward chunked = rb.chunkedForwardWithEntropy(policy, temperature, chunk);
      assertThat(chunked.logits()).isNull();
      float[] lp2 = Tensors.toFloats(chunked.logprobs()), ent2 = Tensors.toFloats(chunked.entropy());
      for (int i = 0; i < lp.length; i++) {
        assertThat(lp2[i]).as("log-prob %d", i).isCloseTo(lp[i], within(1e-5f));
        assertThat(ent2[i]).as("entropy %d", i).isCloseTo(ent[i], within(1e-5f));
      }
      Backprop.backward(loss(chunked, head, rb));
      assertThat(Backprop.pending()).isZero();
      double[] got = grads(policy, head);
      double scale = java.util.Arrays.stream(expected).map(Math::abs).max().orElse(0);
      assertThat(scale).isGreaterThan(1e-3);
      for (int k = 0; k < got.length; k++) assertThat(got[k]).as("gradient %d", k).isCloseTo(expected[k], within(2e-5 * scale));
    } finally {
      Backprop.discard();
    }
  }
}
