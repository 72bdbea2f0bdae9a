package org.rlhf4j.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.optim.AdamW;

/**
 * Peak memory and tokens/s of full fine-tuning vs LoRA vs LoRA + gradient checkpointing, for an SFT step
 * (next-token loss on one sequence) and a DPO step (policy on chosen + rejected, reference forward without
 * gradients: a weight copy for full fine-tuning, the adapter-free base for LoRA), each with AdamW.
 * Every configuration builds its own random model in its own native scope (freed after it), and the peak is the
 * process's resident-set high-water mark, reset before each (Linux {@code /proc/self/clear_refs}).
 */
public final class ScaleBench {
  /** One configuration. */
  public enum Mode { LORA_CKPT, LORA, FULL }

  private ScaleBench() {}

  /** The measurements of one (algorithm, mode): one JSON-able map. */
  public static Map<String, Object> run(ModelConfig c, String algo, Mode mode, int seq, int steps, int loraR, Device d) {
    Pointer.trimMemory();
    long before = Runtime.residentBytes();
    resetPeak();
    Map<String, Object> o = new LinkedHashMap<>();
    try (NativeScope scope = NativeScope.open()) {
      CausalLM policy = CausalLM.random(c, 0, d);
      if (mode != Mode.FULL) policy.addAdapters(LoraConfig.of(loraR, 2.0 * loraR, "all-linear"), 1);
      policy.gradientCheckpointing(mode == Mode.LORA_CKPT).requiresGrad(true);
      CausalLM ref = algo.equals("dpo") ? policy.frozenReference().requiresGrad(false) : null;
      if (ref != null && mode == Mode.FULL) ref.requiresGrad(false);
      HasParameters trainable = policy.trainable();
      AdamW opt = new AdamW(trainable.parameters(), new AdamW.Hyper(0.9, 0.999, 1e-8, 0.0));
      double best = Double.MAX_VALUE;
      for (int s = 0; s <= steps; s++) {
        try (NativeScope step = NativeScope.open()) {
          long t0 = System.nanoTime();
          Tensor loss = algo.equals("dpo") ? dpoLoss(policy, ref, seq) : sftLoss(policy, seq);
          loss.backward();
          opt.step(1e-5);
          opt.zeroGrad();
          double sec = (System.nanoTime() - t0) / 1e9;
          if (s > 0 || steps == 0) best = Math.min(best, sec);
        }
      }
      long tokens = (algo.equals("dpo") ? 2L : 1L) * seq;
      o.put("algo", algo);
      o.put("mode", switch (mode) { case FULL -> "full"; case LORA -> "lora"; case LORA_CKPT -> "lora+checkpointing"; });
      o.put("params", c.parameterCount());
      o.put("trainable_params", trainable.parameters().values().stream().mapToLong(Tensor::numel).sum());
      o.put("layers", c.numLayers());
      o.put("seq", seq);
      o.put("tokens_per_s", Math.round(tokens / best * 100) / 100.0);
      o.put("step_s", Math.round(best * 1000) / 1000.0);
    }
    o.put("peak_rss_mb", Runtime.peakResidentBytes() >> 20);
    o.put("peak_above_start_mb", (Runtime.peakResidentBytes() - before) >> 20);
    return o;
  }

  private static Tensor tokens(CausalLM m, int rows, int seq) {
    return torch.randint(m.config().vocabSize(), new long[] {rows, seq + 1}, Tensors.options(DType.I64, m.device())); // (B, T+1)
  }

  private static Tensor sftLoss(CausalLM m, int seq) {
    Tensor ids = tokens(m, 1, seq);
    Tensor logits = m.forward(ids.narrow(1, 0, seq), null).logits();                       // (1, T, V)
    return torch.cross_entropy(logits.reshape(-1, logits.size(2)), ids.narrow(1, 1, seq).reshape(-1));
  }

  /** Sigmoid DPO on one (chosen, rejected) pair of random sequences. */
  private static Tensor dpoLoss(CausalLM policy, CausalLM ref, int seq) {
    Tensor ids = tokens(policy, 2, seq);
    Tensor pol = seqLogp(policy, ids, seq);                                                 // (2)
    Tensor rf;
    try (NoGradGuard g = new NoGradGuard()) {
      rf = seqLogp(ref, ids, seq);                                                          // (2)
    }
    Tensor margin = pol.sub(rf);                                                            // (2)
    return torch.log_sigmoid(margin.narrow(0, 0, 1).sub(margin.narrow(0, 1, 1)).mul(Tensors.scalar(0.1))).neg().sum();
  }

  private static Tensor seqLogp(CausalLM m, Tensor ids, int seq) {
    Tensor logp = m.forward(ids.narrow(1, 0, seq), null).logits().log_softmax(-1);          // (2, T, V)
    return logp.gather(-1, ids.narrow(1, 1, seq).unsqueeze(-1)).squeeze(-1).sum(new long[] {1}); // (2)
  }

  /** Resets the resident-set high-water mark (VmHWM) to the current size; a no-op where unsupported. */
  static void resetPeak() {
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/self/clear_refs"), "5");
    } catch (Exception e) {
      // not Linux, or not allowed: peaks then include earlier configurations
    }
  }

  /** Every (algorithm, mode) in order, smallest footprint first (freed native memory is not always returned to the OS). */
  public static List<Mode> modes() { return List.of(Mode.LORA_CKPT, Mode.LORA, Mode.FULL); }
}
