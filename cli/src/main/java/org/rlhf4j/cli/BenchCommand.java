package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.cli.bench.ModelBench;
import org.rlhf4j.cli.bench.Peak;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.ModelConfig;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.Runtime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j bench}: measured matmul peak, training-step MFU and decode throughput, as JSON lines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark this machine: matmul peak (fp32, bf16), forward+backward tokens/s and MFU of GPT-2-124M- and "
        + "Qwen2.5-0.5B-shaped models at seq 512, KV-cache decode tokens/s at batch 1 and 32, peak memory. Prints JSON lines.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda or auto (default ${DEFAULT-VALUE}).") String device;
  @Option(names = "--seq", defaultValue = "512", description = "Training sequence length (default ${DEFAULT-VALUE}).") int seq;
  @Option(names = "--steps", defaultValue = "2", description = "Timed training steps per config (default ${DEFAULT-VALUE}).") int steps;
  @Option(names = "--models", defaultValue = "gpt2-124m,qwen2.5-0.5b", split = ",", description = "Which model shapes (default ${DEFAULT-VALUE}).") String[] models;
  @Option(names = "--decode-tokens", defaultValue = "32", description = "New tokens per decode run (default ${DEFAULT-VALUE}).") int decodeTokens;

  private final ObjectMapper json = new ObjectMapper();

  @Override public Integer call() throws Exception {
    Device d = Device.parse(device);
    double f32 = Peak.matmulGflops(DType.F32, d, 2048, 5);
    double bf16 = Peak.matmulGflops(DType.BF16, d, 2048, 5);
    emit("peak", Map.of("device", d.toString(), "threads", Runtime.threads(), "fp32_gflops", round(f32), "bf16_gflops", round(bf16)));
    for (String name : models) {
      ModelConfig c = switch (name.trim()) {
        case "gpt2-124m" -> ModelBench.gpt2Small();
        case "qwen2.5-0.5b" -> ModelBench.qwen05b();
        default -> throw new UserError("unknown model shape '" + name + "' (gpt2-124m, qwen2.5-0.5b)");
      };
      CausalLM m = CausalLM.random(c, 0, d);
      double flopsPerToken = ModelBench.trainFlopsPerToken(c, seq);
      for (DType dt : new DType[] {DType.BF16, DType.F32}) {
        ModelBench.TrainResult r = ModelBench.trainStep(m, 1, seq, dt, steps);
        double peak = dt == DType.BF16 ? bf16 : f32;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", name); o.put("params", c.parameterCount()); o.put("dtype", dt.name().toLowerCase()); o.put("seq", seq);
        o.put("tokens_per_s", round(r.tokensPerSecond())); o.put("step_s", round(r.secondsPerStep()));
        o.put("achieved_gflops", round(r.tokensPerSecond() * flopsPerToken / 1e9));
        o.put("mfu", round(r.tokensPerSecond() * flopsPerToken / 1e9 / peak));
        emit("train_step", o);
      }
      if (name.trim().equals("gpt2-124m")) {
        // The reward-model step skips the LM head: count its FLOPs without the vocabulary projection.
        double rmFlops = flopsPerToken - 6.0 * c.vocabSize() * c.hiddenSize();
        ModelBench.TrainResult r = ModelBench.rewardStep(m, 2, seq, DType.BF16, steps);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", name); o.put("dtype", "bf16"); o.put("seq", seq); o.put("batch", 2);
        o.put("tokens_per_s", round(r.tokensPerSecond())); o.put("step_s", round(r.secondsPerStep()));
        o.put("mfu", round(r.tokensPerSecond() * rmFlops / 1e9 / bf16));
        emit("reward_step", o);
      }
      double b1 = ModelBench.decode(m, 1, 16, decodeTokens);
      double b32 = ModelBench.decode(m, 32, 16, decodeTokens);
      emit("decode", Map.of("model", name, "dtype", "f32", "batch1_tokens_per_s", round(b1), "batch32_tokens_per_s", round(b32), "speedup", round(b32 / b1)));
    }
    emit("memory", Map.of("peak_rss_mb", Runtime.peakResidentBytes() / (1 << 20)));
    return 0;
  }

  private void emit(String kind, Map<String, ?> fields) throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bench", kind);
    o.putAll(fields);
    System.out.println(json.writeValueAsString(o));
  }

  private static double round(double v) { return Math.round(v * 1000.0) / 1000.0; }
}
