package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.cli.bench.Compare;
import org.rlhf4j.cli.bench.ModelBench;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.runtime.Cpu;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.MatmulProbe;
import org.rlhf4j.runtime.Precision;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.ThreadPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j bench}: the machine, its measured peaks, training-step MFU and decode throughput, as JSON lines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmark this machine: CPU model and features, thread pools, measured fp32 matmul peak (bf16 probed, and "
        + "used only where measured faster), memory bandwidth, forward+backward tokens/s and MFU of GPT-2-124M- and "
        + "Qwen2.5-0.5B-shaped models, KV-cache decode tokens/s at batch 1 and 32, peak memory. Prints JSON lines.",
        "With --compare, also prints rlhf4j/PyTorch ratios against the JSON lines of ../shared/bench/pytorch_reference.py."})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda or auto (default ${DEFAULT-VALUE}).") String device;
  @Option(names = "--seq", defaultValue = "512", description = "Training sequence length (default ${DEFAULT-VALUE}).") int seq;
  @Option(names = "--steps", defaultValue = "1", description = "Timed training steps per config after a warm-up (default ${DEFAULT-VALUE}).") int steps;
  @Option(names = "--models", defaultValue = "gpt2-124m,qwen2.5-0.5b", split = ",", description = "Which model shapes (default ${DEFAULT-VALUE}).") String[] models;
  @Option(names = "--decode-tokens", defaultValue = "32", description = "New tokens per decode run (default ${DEFAULT-VALUE}).") int decodeTokens;
  @Option(names = "--budget", defaultValue = "270", description = "Seconds after which remaining workloads are skipped (default ${DEFAULT-VALUE}).") int budget;
  @Option(names = "--compare", paramLabel = "FILE", description = "JSON lines of pytorch_reference.py run on this machine: print rlhf4j/PyTorch ratios.") Path compare;

  @Option(names = "--scale", description = "Instead of the model workloads: peak memory and tokens/s of full fine-tuning vs LoRA vs "
      + "LoRA + gradient checkpointing for an SFT and a DPO step with AdamW on the first --models shape.") boolean scale;
  @Option(names = "--layers", description = "--scale: use this many layers of the shape (default: all).") Integer layers;
  @Option(names = "--lora-r", defaultValue = "16", description = "--scale: LoRA rank on all linear layers (default ${DEFAULT-VALUE}).") int loraR;
  @Option(names = "--algos", defaultValue = "sft,dpo", split = ",", description = "--scale: sft, dpo (default ${DEFAULT-VALUE}).") String[] algos;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Double> ours = new LinkedHashMap<>();
  private long started;

  @Override public Integer call() throws Exception {
    if (steps < 1 || decodeTokens < 1 || seq < 2 || budget < 1) throw new UserError("--steps, --decode-tokens, --budget must be >= 1 and --seq >= 2");
    Map<String, Double> reference = compare == null ? null : readReference();
    started = System.nanoTime();
    Device d = Device.parse(device);
    Cpu cpu = Cpu.detect();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cpu", cpu.model()); machine.put("cores", cpu.cores()); machine.put("features", cpu.features());
    machine.put("bf16_instructions", cpu.hasBf16Instructions()); machine.put("cuda", Runtime.cudaAvailable()); machine.put("device", d.toString());
    emit("machine", machine);
    Map<String, Object> threads = new LinkedHashMap<>(ThreadPlan.current().fields());
    threads.put("torch_threads_now", Runtime.threads());
    threads.put("blas_threads_now", Runtime.blasThreads());
    if (!ThreadPlan.passiveWaiting()) threads.put("warning", "OMP_WAIT_POLICY is not PASSIVE: run through ./rlhf4j or export it");
    emit("threads", threads);
    Precision p = Precision.measure(d, cpu, 2048, 3, 10.0);
    Map<String, Object> peak = new LinkedHashMap<>(p.fields());
    double copy = MatmulProbe.copyGBps(d, 256, 3);
    peak.put("copy_gb_per_s", round(copy));
    emit("peak", peak);
    double f32 = p.fp32().gflops();
    if (scale) return scale(d);
    for (String name : models) {
      ModelConfig c = shape(name);
      CausalLM m = CausalLM.random(c, 0, d);
      train(name.trim(), m, c, DType.F32, f32);
      if (p.preferred() == DType.BF16) train(name.trim(), m, c, DType.BF16, p.bf16().gflops());
      decode(name.trim(), m, c, f32, copy);
    }
    emit("memory", Map.of("peak_rss_mb", Runtime.peakResidentBytes() / (1 << 20)));
    if (reference != null) {
      List<Map<String, Object>> rows = Compare.rows(ours, reference);
      if (rows.isEmpty()) throw new UserError("--compare " + compare + ": no figure in common with this run");
      for (Map<String, Object> r : rows) emit("compare", r);
    }
    return 0;
  }

  private static ModelConfig shape(String name) {
    return switch (name.trim()) {
      case "gpt2-124m" -> ModelBench.gpt2Small();
      case "qwen2.5-0.5b" -> ModelBench.qwen05b();
      default -> throw new UserError("--models: unknown model shape '" + name + "' (gpt2-124m, qwen2.5-0.5b)");
    };
  }

  private int scale(Device d) throws Exception {
    ModelConfig c = shape(models[0]);
    if (layers != null) {
      if (layers < 1 || layers > c.numLayers()) throw new UserError("--layers must be in 1.." + c.numLayers());
      c = c.toBuilder().numLayers(layers).build();
    }
    for (String algo : algos) {
      if (!algo.equals("sft") && !algo.equals("dpo")) throw new UserError("--algos: sft or dpo, got '" + algo + "'");
      for (org.rlhf4j.cli.bench.ScaleBench.Mode mode : org.rlhf4j.cli.bench.ScaleBench.modes()) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", models[0].trim());
        o.putAll(org.rlhf4j.cli.bench.ScaleBench.run(c, algo, mode, seq, steps, loraR, d));
        emit("scale", o);
      }
    }
    return 0;
  }

  private Map<String, Double> readReference() {
    if (!Files.isRegularFile(compare)) throw new UserError("--compare: no such file " + compare);
    try {
      return Compare.readReference(compare);
    } catch (java.io.IOException e) {
      throw new UserError("--compare: " + e.getMessage());
    }
  }

  private void train(String name, CausalLM m, ModelConfig c, DType dt, double peak) throws Exception {
    double flopsPerToken = ModelBench.trainFlopsPerToken(c, seq);
    // Estimate at 25% of the measured peak (the warm-up step plus the timed ones): skip what would overrun the budget.
    if (overBudget("train_step", name, (steps + 1) * seq * flopsPerToken / (0.25 * peak * 1e9))) return;
    ModelBench.TrainResult r = ModelBench.trainStep(m, 1, seq, dt, steps);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", name); o.put("params", c.parameterCount()); o.put("dtype", dt == DType.F32 ? "fp32" : "bf16"); o.put("seq", seq);
    o.put("tokens_per_s", round(r.tokensPerSecond())); o.put("step_s", round(r.secondsPerStep()));
    o.put("achieved_gflops", round(r.tokensPerSecond() * flopsPerToken / 1e9));
    o.put("mfu", round(r.tokensPerSecond() * flopsPerToken / 1e9 / peak));
    emit("train_step", o);
  }

  private void decode(String name, CausalLM m, ModelConfig c, double peak, double copyGbps) throws Exception {
    double flops = 2.0 * c.matmulParameterCount(), weightBytes = 4.0 * c.matmulParameterCount(); // per token; fp32
    // Estimates: batch 1 at a quarter of the bandwidth bound, batch 32 at 10% of the peak.
    if (overBudget("decode", name, (decodeTokens + 2) * weightBytes / (0.25 * copyGbps / 2 * 1e9))) return;
    double b1 = ModelBench.decode(m, 1, 16, decodeTokens);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", name); o.put("dtype", "f32");
    o.put("batch1_tokens_per_s", round(b1));
    // Batch 1 reads every weight once per token: the memory-bandwidth bound is copy bandwidth / 2 (copy counts read + write).
    o.put("batch1_weight_gb_per_s", round(b1 * weightBytes / 1e9));
    o.put("batch1_of_bandwidth", round(b1 * weightBytes / 1e9 / (copyGbps / 2)));
    if (!overBudget("decode batch 32", name, 32.0 * decodeTokens * flops / (0.1 * peak * 1e9))) {
      double b32 = ModelBench.decode(m, 32, 16, decodeTokens);
      o.put("batch32_tokens_per_s", round(b32));
      o.put("batch32_mfu", round(b32 * flops / 1e9 / peak));
      o.put("speedup", round(b32 / b1));
    }
    emit("decode", o);
  }

  /** True (and a "skipped" line) when {@code estimatedSeconds} more would end past the budget. */
  private boolean overBudget(String what, String model, double estimatedSeconds) throws Exception {
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (elapsed + estimatedSeconds <= budget) return false;
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("workload", what); o.put("model", model);
    o.put("reason", String.format(java.util.Locale.ROOT, "--budget %d s: %.0f s spent, ~%.0f s more estimated from the measured peak",
        budget, elapsed, estimatedSeconds));
    emit("skipped", o);
    return true;
  }

  private void emit(String kind, Map<String, ?> fields) throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bench", kind);
    o.putAll(fields);
    ours.putAll(Compare.metrics(json.valueToTree(o)));
    System.out.println(json.writeValueAsString(o));
  }

  private static double round(double v) { return Math.round(v * 1000.0) / 1000.0; }
}
