package org.rlhf4j.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareTest {
  @TempDir Path dir;

  @Test
  void referenceLinesAreMatchedToOursWithRatios() throws Exception {
    Path ref = dir.resolve("ref.jsonl");
    Files.writeString(ref, """
        threads 2 torch 2.13.0+cpu transformers 5.18 mkldnn True cpu_cap AVX2
        {"bench": "peak", "dtype": "fp32", "n": 2048, "gflops": 140.0}
          (peak:fp32:2048:5 took 1.2s, peak_rss_mb=300)
        {"bench": "train_step", "model": "gpt2-124m", "dtype": "fp32", "seq": 512, "tokens_per_s": 100.0, "step_s": 5.1}
        {"bench": "decode", "model": "gpt2-124m", "dtype": "f32", "batch1_tokens_per_s": 20.0, "batch32_tokens_per_s": 140.0}
        """);
    Map<String, Double> reference = Compare.readReference(ref);
    assertThat(reference).containsEntry("peak fp32 GFLOP/s", 140.0).containsEntry("train gpt2-124m fp32 seq 512 tokens/s", 100.0)
        .containsEntry("decode gpt2-124m batch1 tokens/s", 20.0).containsEntry("decode gpt2-124m batch32 tokens/s", 140.0);
    Map<String, Double> ours = new java.util.LinkedHashMap<>();
    ours.put("peak fp32 GFLOP/s", 126.0);
    ours.put("decode gpt2-124m batch1 tokens/s", 5.0);
    ours.put("train qwen2.5-0.5b fp32 seq 512 tokens/s", 17.0); // not in the reference: no row
    List<Map<String, Object>> rows = Compare.rows(ours, reference);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsEntry("metric", "peak fp32 GFLOP/s").containsEntry("ratio", 0.9);
    assertThat(rows.get(1)).containsEntry("rlhf4j", 5.0).containsEntry("pytorch", 20.0).containsEntry("ratio", 0.25);
  }

  @Test
  void badReferenceFilesSayWhatIsWrong() throws Exception {
    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"bench\": \"peak\"\n");
    assertThatThrownBy(() -> Compare.readReference(broken)).hasMessageStartingWith(broken + ":1: not a JSON line");
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "threads 2\n");
    assertThatThrownBy(() -> Compare.readReference(empty)).hasMessageContaining("no benchmark lines");
  }
}
