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
import org.rlhf4j.cli.bench.ScaleBench;
import com.fasterxml.jackson.databind.JsonNode;
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
  @Option(names = "--models", defaultValue = "gpt2-124m,qwen2.5-0.5b,llama-110m", split = ",", description = "Which model shapes: gpt2-124m, qwen2.5-0.5b, llama-110m (default ${DEFAULT-VALUE}).") String[] models;
  @Option(names = "--workloads", defaultValue = "train,decode", split = ",", description = "train (forward+backward), decode (KV-cache generation), or both (default ${DEFAULT-VALUE}).") String[] workloads;
  @Option(names = "--decode-batches", defaultValue = "1,4,32", split = ",", description = "Decode batch sizes; must include 1 (default ${DEFAULT-VALUE}).") int[] decodeBatches;
  @Option(names = "--decode-tokens", defaultValue = "32", description = "New tokens per decode run (default ${DEFAULT-VALUE}).") int decodeTokens;
  @Option(names = "--budget", defaultValue = "270", description = "Seconds after which remaining workloads are skipped (default ${DEFAULT-VALUE}).") int budget;
  @Option(names = "--compare", paramLabel = "FILE", description = "JSON lines of pytorch_reference.py run on this machine: print rlhf4j/PyTorch ratios.") Path compare;

  @Option(names = "--scale", description = "Instead: peak memory (RSS) and tokens/s of full fine-tuning vs LoRA, each with and "
      + "without gradient checkpointing, for an SFT and a DPO step with AdamW on the first --models shape, every "
      + "configuration in a fresh JVM; then the memory reduction and time overhead of checkpointing.") boolean scale;
  @Option(names = "--batch", defaultValue = "1", description = "--scale: sequences per SFT step, pairs per DPO step (default ${DEFAULT-VALUE}).") int batch;
  @Option(names = "--layers", defaultValue = "0", description = "--scale: use this many layers of the shape (default: all).") int layers;
  @Option(names = "--lora-r", defaultValue = "16", description = "--scale: LoRA rank on all linear layers (default ${DEFAULT-VALUE}).") int loraR;
  @Option(names = "--algos", defaultValue = "sft,dpo", split = ",", description = "--scale: sft, dpo (default ${DEFAULT-VALUE}).") String[] algos;
  @Option(names = "--logits", defaultValue = "chunked", description = "--scale: chunked (token log-probs a chunk of the vocabulary "
      + "logits at a time, as the trainers) or full (the (B, T, V) logits, then log_softmax) (default ${DEFAULT-VALUE}).") String logits;

  @Option(names = "--data-parallel", description = "Instead: tokens/s of the same pre-training run (a 4-layer 256-wide "
      + "Llama over --tokenizer's vocabulary, seq 128, global batch 8) as 1 process x 2 threads and as 2 ranks x 1 "
      + "thread over c10d Gloo (rlhf4j launch), and the ranks' all-reduce seconds per step.") boolean dataParallel;
  @Option(names = "--tokenizer", defaultValue = "../shared/fixtures/stories260K", description = "--data-parallel: a folder "
      + "with tokenizer.json (default ${DEFAULT-VALUE}).") Path tokenizer;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Double> ours = new LinkedHashMap<>();
  private long started;

  @Override public Integer call() throws Exception {
    if (steps < 1 || decodeTokens < 1 || seq < 2 || budget < 1) throw new UserError("--steps, --decode-tokens, --budget must be >= 1 and --seq >= 2");
    java.util.Set<String> work = new java.util.LinkedHashSet<>();
    for (String w : workloads) {
      if (!w.trim().equals("train") && !w.trim().equals("decode")) throw new UserError("--workloads: unknown workload '" + w + "' (train, decode)");
      work.add(w.trim());
    }
    if (java.util.Arrays.stream(decodeBatches).noneMatch(b -> b == 1) || java.util.Arrays.stream(decodeBatches).anyMatch(b -> b < 1)) {
      throw new UserError("--decode-batches: sizes must be >= 1 and include 1 (the bandwidth figures are per batch-1 token)");
    }
    Map<String, Double> reference = compare == null ? null : readReference();
    started = System.nanoTime();
    if (scale) return scale();
    if (dataParallel) return dataParallel();
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
    // the peak is the faster of libtorch's two fp32 GEMMs: OpenBLAS (matmul) and oneDNN (the inner product rlhf4j uses where it measured faster)
    double blas = p.fp32().gflops(), dnn = d.isCuda() ? Double.NaN : org.rlhf4j.runtime.OneDnn.gflops(2048, 3);
    double f32 = Double.isNaN(dnn) ? blas : Math.max(blas, dnn);
    peak.put("fp32_gflops", round(f32));
    peak.put("fp32_openblas_gflops", round(blas));
    if (!Double.isNaN(dnn)) peak.put("fp32_onednn_gflops", round(dnn));
    peak.put("fp32_peak_source", f32 == blas ? "libtorch matmul" : "oneDNN inner product");
    double copy = MatmulProbe.copyGBps(d, 256, 3);
    peak.put("copy_gb_per_s", round(copy));
    emit("peak", peak);
    emit("onednn", oneDnn());
    for (String name : models) {
      ModelConfig c = ModelBench.shape(name.trim());
      if (c == null) throw new UserError("--models: unknown model shape '" + name + "' (gpt2-124m, qwen2.5-0.5b, llama-110m)");
      CausalLM m = CausalLM.random(c, 0, d);
      if (work.contains("train")) {
        Double fp32 = train(name.trim(), m, c, DType.F32, f32);
        // bf16 only beside a measured fp32 step (its verdict needs both; its own estimate from the bf16 peak runs low)
        Double bf16 = fp32 != null && p.preferred() == DType.BF16 ? train(name.trim(), m, c, DType.BF16, p.bf16().gflops()) : null;
        if (fp32 != null && bf16 != null) verdict("train_step " + name.trim(), fp32, bf16);
      }
      if (work.contains("decode")) {
        Map<Integer, Double> fp32 = decode(name.trim(), m, DType.F32, f32, copy);
        if (p.preferred() == DType.BF16 && fp32.containsKey(1)) {
          Map<Integer, Double> bf16 = decode(name.trim(), m.copy(DType.BF16), DType.BF16, p.bf16().gflops(), copy);
          for (var e : bf16.entrySet()) {
            if (fp32.containsKey(e.getKey())) verdict("decode " + name.trim() + " batch " + e.getKey() + " (bf16 weights)", fp32.get(e.getKey()), e.getValue());
          }
        }
      }
    }
    emit("memory", Map.of("peak_rss_mb", Runtime.peakResidentBytes() / (1 << 20)));
    if (reference != null) {
      List<Map<String, Object>> rows = Compare.rows(ours, reference);
      if (rows.isEmpty()) throw new UserError("--compare " + compare + ": no figure in common with this run");
      for (Map<String, Object> r : rows) emit("compare", r);
    }
    return 0;
  }

  /** bench --scale: one child JVM per (algorithm, mode); then per algorithm and adapter choice what checkpointing changed. */
  private int scale() throws Exception {
    String shape = models[0].trim();
    if (!shape.equals("gpt2-124m") && !shape.equals("qwen2.5-0.5b")) throw new UserError("--models: unknown model shape '" + shape + "' (gpt2-124m, qwen2.5-0.5b)");
    if (batch < 1 || layers < 0 || loraR < 1) throw new UserError("--batch and --lora-r must be >= 1, --layers >= 0");
    if (!logits.equals("chunked") && !logits.equals("full")) throw new UserError("--logits: chunked or full, got '" + logits + "'");
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("cpu", Cpu.detect().model()); load.put("cores", Cpu.detect().cores());
    load.put("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    emit("machine", load);
    for (String algo : algos) {
      if (!algo.equals("sft") && !algo.equals("dpo")) throw new UserError("--algos: sft or dpo, got '" + algo + "'");
      Map<String, JsonNode> byMode = new LinkedHashMap<>();
      for (ScaleBench.Mode mode : ScaleBench.Mode.all()) {
        List<String> args = List.of(shape, algo, "" + mode.lora(), "" + mode.checkpointing(), "" + seq, "" + batch, "" + steps, "" + loraR, "" + layers, logits);
        Process p = ChildJvm.start(ScaleBench.class.getName(), args, Map.of());
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) throw new IllegalStateException("bench --scale: the " + algo + " " + mode.label() + " run failed (exit " + p.exitValue() + ")");
        JsonNode r = json.readTree(out.substring(out.lastIndexOf('\n') + 1));
        byMode.put(mode.label(), r);
        emit("scale", json.convertValue(r, Map.class));
      }
      for (String base : List.of("full", "lora")) {
        JsonNode plain = byMode.get(base), ckpt = byMode.get(base + "+checkpointing");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("algo", algo); o.put("mode", base); o.put("logits", logits); o.put("seq", seq); o.put("batch", batch);
        o.put("peak_rss_mb", plain.get("peak_rss_mb").asLong()); o.put("peak_rss_mb_checkpointing", ckpt.get("peak_rss_mb").asLong());
        o.put("peak_reduction_mb", plain.get("peak_rss_mb").asLong() - ckpt.get("peak_rss_mb").asLong());
        o.put("activation_peak_ratio", round(ckpt.get("peak_above_setup_mb").asDouble() / Math.max(1, plain.get("peak_above_setup_mb").asDouble())));
        o.put("time_overhead_ratio", round(ckpt.get("step_s").asDouble() / plain.get("step_s").asDouble()));
        o.put("cpu_time_overhead_ratio", round(ckpt.get("step_cpu_s").asDouble() / plain.get("step_cpu_s").asDouble()));
        emit("checkpointing", o);
      }
    }
    return 0;
  }

  /**
   * bench --data-parallel: the same short pre-training run, 1 process x 2 threads vs 2 ranks x 1 thread, the ranks'
   * gradients (17 MB) all-reduced in one bucket and in the default 4 MB buckets (RLHF4J_DIST_BUCKET_MB; all in flight at once).
   */
  private int dataParallel() throws Exception {
    if (!Files.isRegularFile(tokenizer.resolve("tokenizer.json"))) throw new UserError("--tokenizer: no tokenizer.json in " + tokenizer);
    Path dir = Files.createTempDirectory("rlhf4j-dp-bench");
    try {
      StringBuilder corpus = new StringBuilder();
      for (int i = 0; i < 400; i++) corpus.append("Tom had a red ball number ").append(i).append(". He liked to play with it in the park.\n\n");
      Files.writeString(dir.resolve("corpus.txt"), corpus);
      Files.writeString(dir.resolve("pre.yaml"), "model_config: {hidden: 256, intermediate: 1024, layers: 4, heads: 4, kv_heads: 4, "
          + "max_positions: 128}\nseq_length: 128\nbatch_size: 8\nlog_every: 1\nsave_every: 0\nlr: 1e-3\n");
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      o.put("steps", steps + 2);
      for (String key : List.of("1x2", "2x1", "2x1_buckets_4mb")) {
        Path out = dir.resolve("run-" + key);
        List<String> args = List.of("pretrain", "--config", dir.resolve("pre.yaml").toString(), "--tokenizer", tokenizer.toString(),
            "--data", dir.resolve("corpus.txt").toString(), "--output", out.toString(), "--max-steps", "" + (steps + 2));
        int code = key.equals("1x2") ? singleProcess(args, 2)
            : LaunchCommand.run(2, 1, LaunchCommand.freePort(), args, Map.of("RLHF4J_DIST_BUCKET_MB", key.equals("2x1") ? "0" : "4"));
        if (code != 0) throw new IllegalStateException("bench --data-parallel: the " + key + " run failed (exit " + code + ")");
        double[] m = stepFigures(out.resolve("metrics.jsonl"));
        o.put("tokens_per_s_" + key, round(m[0]));
        if (!key.equals("1x2")) o.put("allreduce_s_per_step_" + (key.equals("2x1") ? "one_bucket" : "buckets_4mb"), round(m[1]));
      }
      o.put("ratio_2x1_over_1x2", round((Double) o.get("tokens_per_s_2x1") / (Double) o.get("tokens_per_s_1x2")));
      emit("data_parallel", o);
      return 0;
    } finally {
      org.rlhf4j.common.FileOps.deleteTree(dir);
    }
  }

  /** A training command in one fresh JVM with {@code threads} threads; its exit code. */
  private static int singleProcess(List<String> args, int threads) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(Main.class.getName(), args));
    pb.environment().put("RLHF4J_THREADS", "" + threads);
    pb.environment().put("OMP_NUM_THREADS", "" + threads);
    pb.environment().put("OPENBLAS_NUM_THREADS", "" + threads);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return pb.start().waitFor();
  }

  /** Median tokens/s and mean all-reduce seconds over the logged steps after the first (warm-up). */
  private double[] stepFigures(Path metrics) throws Exception {
    List<Double> tps = new java.util.ArrayList<>();
    double reduce = 0;
    int n = 0;
    for (String line : Files.readAllLines(metrics)) {
      JsonNode r = json.readTree(line);
      if (r.path("step").asInt() <= 1 || !r.has("tokens_per_sec")) continue;
      tps.add(r.get("tokens_per_sec").asDouble());
      if (r.has("dp/allreduce_s")) { reduce += r.get("dp/allreduce_s").asDouble(); n++; }
    }
    if (tps.isEmpty()) throw new IllegalStateException("bench --data-parallel: no timed steps in " + metrics);
    java.util.Collections.sort(tps);
    return new double[] {tps.get(tps.size() / 2), n == 0 ? Double.NaN : reduce / n};
  }

  private Map<String, Double> readReference() {
    if (!Files.isRegularFile(compare)) throw new UserError("--compare: no such file " + compare);
    try {
      return Compare.readReference(compare);
    } catch (java.io.IOException e) {
      throw new UserError("--compare: " + e.getMessage());
    }
  }

  /** The measured tokens/s, or null when skipped. */
  private Double train(String name, CausalLM m, ModelConfig c, DType dt, double peak) throws Exception {
    double flopsPerToken = ModelBench.trainFlopsPerToken(c, seq);
    // Estimate at 25% of the measured peak (the warm-up step plus the timed ones): skip what would overrun the budget.
    if (overBudget("train_step", name, (steps + 1) * seq * flopsPerToken / (0.25 * peak * 1e9))) return null;
    ModelBench.TrainResult r = ModelBench.trainStep(m, 1, seq, dt, steps);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", name); o.put("params", c.parameterCount()); o.put("dtype", dt == DType.F32 ? "fp32" : "bf16"); o.put("seq", seq);
    o.put("tokens_per_s", round(r.tokensPerSecond())); o.put("step_s", round(r.secondsPerStep()));
    o.put("achieved_gflops", round(r.tokensPerSecond() * flopsPerToken / 1e9));
    o.put("mfu", round(r.tokensPerSecond() * flopsPerToken / 1e9 / peak));
    emit("train_step", o);
    return r.tokensPerSecond();
  }

  /** A "precision" line: which dtype this workload should run in, from its own two measured rates. */
  private void verdict(String workload, double fp32Rate, double bf16Rate) throws Exception {
    emit("precision", Precision.Verdict.of(workload, fp32Rate, bf16Rate).fields());
  }

  /** Decode tokens/s by batch size (those measured within the budget); one "decode" line. */
  private Map<Integer, Double> decode(String name, CausalLM m, DType dt, double peak, double copyGbps) throws Exception {
    ModelConfig c = m.config();
    double flops = 2.0 * c.matmulParameterCount(), weightBytes = dt.byteSize() * (double) c.matmulParameterCount(); // per token
    Map<Integer, Double> rates = new java.util.TreeMap<>();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", name); o.put("dtype", dt == DType.F32 ? "fp32" : "bf16");
    o.put("thin_matmul", thinMatmul(dt));
    for (int b : java.util.Arrays.stream(decodeBatches).sorted().distinct().toArray()) {
      // Estimates: batch 1 at a quarter of the bandwidth bound, larger batches at 5% of the peak.
      double estimate = b == 1 ? (decodeTokens + 2) * weightBytes / (0.25 * copyGbps / 2 * 1e9)
          : b * (double) decodeTokens * flops / (0.05 * peak * 1e9);
      if (overBudget("decode batch " + b + " " + o.get("dtype"), name, estimate)) break;
      double rate = ModelBench.decode(m, b, 16, decodeTokens);
      rates.put(b, rate);
      o.put("batch" + b + "_tokens_per_s", round(rate));
      if (b == 1) {
        // Batch 1 reads every weight once per token: the memory-bandwidth bound is copy bandwidth / 2 (copy counts read + write).
        o.put("batch1_weight_gb_per_s", round(rate * weightBytes / 1e9));
        o.put("batch1_of_bandwidth", round(rate * weightBytes / 1e9 / (copyGbps / 2)));
      } else {
        o.put("batch" + b + "_mfu", round(rate * flops / 1e9 / peak));
        o.put("batch" + b + "_speedup", round(rate / rates.get(1)));
      }
    }
    if (rates.containsKey(1) && rates.containsKey(32)) o.put("speedup", round(rates.get(32) / rates.get(1)));
    if (!rates.isEmpty()) emit("decode", o);
    return rates;
  }

  /** Which kernel the few-row products of decoding take (models/nn/ThinMatmul). */
  private static String thinMatmul(DType dt) {
    if (!org.rlhf4j.models.nn.ThinMatmul.enabled()) return "gemm (libtorch)";
    if (dt == DType.BF16) {
      return org.rlhf4j.models.nn.ThinMatmul.vectorKernel() ? "vector bf16 (1-" + org.rlhf4j.models.nn.ThinMatmul.MAX_ROWS + " rows, [out, in] weights), gemm (libtorch) beyond" : "gemm (libtorch)";
    }
    if (dt != DType.F32) return "gemm (libtorch)";
    String one = org.rlhf4j.models.nn.ThinMatmul.vectorKernel() ? "vector (1-" + org.rlhf4j.models.nn.ThinMatmul.MAX_ROWS + " rows)" : "gemv (1 row)";
    if (!org.rlhf4j.models.nn.ThinMatmul.packedKernel()) return one;
    boolean prompts = org.rlhf4j.models.nn.ThinMatmul.packedKernel(org.rlhf4j.models.nn.ThinMatmul.MAX_PACKED_ROWS + 1);
    return (org.rlhf4j.models.nn.ThinMatmul.vectorKernel() ? "vector (1 row)" : "gemv (1 row)") + ", onednn prepacked ("
        + org.rlhf4j.models.nn.ThinMatmul.MIN_PACKED_ROWS + (prompts ? "+" : "-" + org.rlhf4j.models.nn.ThinMatmul.MAX_PACKED_ROWS) + " rows)";
  }

  /** The "onednn" line: whether decoding's 2-64-row products, and prompts' larger ones, take oneDNN's prepacked weights here, and why. */
  private static Map<String, Object> oneDnn() {
    org.rlhf4j.runtime.OneDnn.Verdict v = org.rlhf4j.runtime.OneDnn.verdict();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("available", org.rlhf4j.runtime.OneDnn.available());
    o.put("setting", org.rlhf4j.models.nn.ThinMatmul.packing().name().toLowerCase(java.util.Locale.ROOT) + " (RLHF4J_ONEDNN)");
    o.put("prepacked_used", org.rlhf4j.models.nn.ThinMatmul.packedKernel());
    if (!Double.isNaN(v.packedMs())) { o.put("prepacked_ms", round(v.packedMs())); o.put("libtorch_ms", round(v.libtorchMs())); }
    o.put("reason", v.reason());
    org.rlhf4j.runtime.OneDnn.Verdict p = org.rlhf4j.runtime.OneDnn.verdict(org.rlhf4j.runtime.OneDnn.Workload.PROMPT);
    o.put("prompt_prepacked_used", org.rlhf4j.models.nn.ThinMatmul.packedKernel(org.rlhf4j.models.nn.ThinMatmul.MAX_PACKED_ROWS + 1));
    if (!Double.isNaN(p.packedMs())) { o.put("prompt_prepacked_ms", round(p.packedMs())); o.put("prompt_libtorch_ms", round(p.libtorchMs())); }
    o.put("prompt_reason", p.reason());
    org.rlhf4j.runtime.OneDnn.Verdict t = org.rlhf4j.runtime.OneDnn.verdict(org.rlhf4j.runtime.OneDnn.Workload.TRAIN);
    o.put("training_onednn_used", org.rlhf4j.models.nn.ThinMatmul.packing() == org.rlhf4j.models.nn.ThinMatmul.Packing.ON);
    o.put("training_product_reason", t.reason() + "; training takes oneDNN only with RLHF4J_ONEDNN=on (whole steps measured no faster at two threads)");
    return o;
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
