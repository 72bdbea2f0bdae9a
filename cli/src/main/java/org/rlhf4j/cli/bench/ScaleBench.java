package org.rlhf4j.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.runtime.Backprop;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.training.optim.AdamW;

/**
 * One configuration of {@code rlhf4j bench --scale}, run in a fresh JVM (so its resident-set high-water mark is its
 * own): full fine-tuning or LoRA (all linear layers), with or without gradient checkpointing, for an SFT step
 * (next-token loss over {@code batch} random sequences) or a DPO step (policy on chosen + rejected, the reference
 * without gradients: a weight copy for full fine-tuning, the adapter-free base for LoRA), each with AdamW; the token
 * log-probs either {@code chunked} ({@link CausalLM#tokenLogprobs}, as the trainers compute them: never the (B, T, V)
 * logits) or {@code full} (the logits, then log_softmax). Prints
 * one JSON object: step wall and process-CPU seconds (best of the timed steps after a warm-up), tokens/s, the RSS
 * after the model and optimizer were set up and its peak during the steps.
 */
public final class ScaleBench {
  /** What one configuration trains. */
  public record Mode(boolean lora, boolean checkpointing) {
    public String label() { return (lora ? "lora" : "full") + (checkpointing ? "+checkpointing" : ""); }

    public static List<Mode> all() {
      return List.of(new Mode(false, false), new Mode(false, true), new Mode(true, false), new Mode(true, true));
    }
  }

  private ScaleBench() {}

  /** {@code ScaleBench SHAPE ALGO LORA(true|false) CKPT(true|false) SEQ BATCH STEPS LORA_R LAYERS [chunked|full]}: one JSON line on stdout. */
  public static void main(String[] a) throws Exception {
    ModelConfig c = switch (a[0]) {
      case "gpt2-124m" -> ModelBench.gpt2Small();
      case "qwen2.5-0.5b" -> ModelBench.qwen05b();
      default -> throw new IllegalArgumentException("unknown shape " + a[0]);
    };
    int layers = Integer.parseInt(a[8]);
    if (layers > 0) c = c.toBuilder().numLayers(layers).build();
    Map<String, Object> o = run(c, a[1], new Mode(Boolean.parseBoolean(a[2]), Boolean.parseBoolean(a[3])),
        Integer.parseInt(a[4]), Integer.parseInt(a[5]), Integer.parseInt(a[6]), Integer.parseInt(a[7]), Device.CPU,
        a.length < 10 || a[9].equals("chunked"));
    o.put("model", a[0]);
    System.out.println(new ObjectMapper().writeValueAsString(o));
  }

  static Map<String, Object> run(ModelConfig c, String algo, Mode mode, int seq, int batch, int steps, int loraR, Device d,
      boolean chunked) {
    CausalLM policy = CausalLM.random(c, 0, d);
    if (mode.lora()) policy.addAdapters(LoraConfig.of(loraR, 2.0 * loraR, "all-linear"), 1);
    policy.gradientCheckpointing(mode.checkpointing()).requiresGrad(true);
    boolean dpo = algo.equals("dpo");
    CausalLM ref = dpo ? policy.frozenReference() : null;
    HasParameters trainable = policy.trainable();
    AdamW opt = new AdamW(trainable.parameters(), new AdamW.Hyper(0.9, 0.999, 1e-8, 0.0));
    long setupRss = Runtime.residentBytes();
    double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
    for (int s = 0; s <= steps; s++) {
      try (NativeScope step = NativeScope.open()) {
        long t0 = System.nanoTime(), c0 = cpuNanos();
        Tensor loss = dpo ? dpoLoss(policy, ref, batch, seq, chunked) : sftLoss(policy, batch, seq, chunked);
        Backprop.backward(loss);
        opt.step(1e-5);
        opt.zeroGrad();
        if (s > 0) { // step 0 warms up (allocates the optimizer state)
          bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e9);
          bestCpu = Math.min(bestCpu, (cpuNanos() - c0) / 1e9);
        }
      }
    }
    long tokens = (dpo ? 2L : 1L) * batch * seq;
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("algo", algo);
    o.put("mode", mode.label());
    o.put("logits", chunked ? "chunked" : "full");
    o.put("params", c.parameterCount());
    o.put("trainable_params", trainable.parameters().values().stream().mapToLong(Tensor::numel).sum());
    o.put("layers", c.numLayers());
    o.put("seq", seq);
    o.put("batch", batch);
    o.put("threads", Runtime.threads());
    o.put("step_s", round(bestWall));
    o.put("step_cpu_s", round(bestCpu));
    o.put("tokens_per_s", round(tokens / bestWall));
    o.put("setup_rss_mb", setupRss >> 20);
    o.put("peak_rss_mb", Runtime.peakResidentBytes() >> 20);
    o.put("peak_above_setup_mb", (Runtime.peakResidentBytes() - setupRss) >> 20);
    return o;
  }

  /** This process's CPU time (all threads, libtorch's included), from /proc/self/stat; -1 elsewhere. */
  static long cpuNanos() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime + stime, clock ticks of 10 ms
    } catch (Exception e) {
      return -1;
    }
  }

  private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

  private static Tensor tokens(CausalLM m, int rows, int seq) {
    return torch.randint(m.config().vocabSize(), new long[] {rows, seq + 1}, Tensors.options(DType.I64, m.device())); // (B, T+1)
  }

  private static Tensor sftLoss(CausalLM m, int batch, int seq, boolean chunked) {
    Tensor ids = tokens(m, batch, seq);
    if (chunked) return m.tokenLogprobs(ids, null, 0).mean().neg();                                   // ()
    Tensor logits = m.forward(ids.narrow(1, 0, seq), null).logits();                                  // (B, T, V)
    return torch.cross_entropy(logits.reshape(-1, logits.size(2)), ids.narrow(1, 1, seq).reshape(-1)); // ()
  }

  /** Sigmoid DPO over {@code batch} (chosen, rejected) pairs of random sequences, chosen rows first. */
  private static Tensor dpoLoss(CausalLM policy, CausalLM ref, int batch, int seq, boolean chunked) {
    Tensor ids = tokens(policy, 2 * batch, seq);
    Tensor pol = seqLogp(policy, ids, seq, chunked);                                                  // (2B)
    Tensor rf;
    try (NoGradGuard g = new NoGradGuard()) {
      rf = seqLogp(ref, ids, seq, chunked);                                                           // (2B)
    }
    Tensor margin = pol.sub(rf);                                                                      // (2B)
    Tensor logits = margin.narrow(0, 0, batch).sub(margin.narrow(0, batch, batch)).mul(Tensors.scalar(0.1)); // (B)
    return torch.log_sigmoid(logits).neg().mean();                                                    // ()
  }

  private static Tensor seqLogp(CausalLM m, Tensor ids, int seq, boolean chunked) {
    if (chunked) return m.tokenLogprobs(ids, null, 0).sum(new long[] {1});                            // (R)
    Tensor logp = m.forward(ids.narrow(1, 0, seq), null).logits().log_softmax(-1);                    // (R, T, V)
    return logp.gather(-1, ids.narrow(1, 1, seq).unsqueeze(-1)).squeeze(-1).sum(new long[] {1});      // (R)
  }
}
