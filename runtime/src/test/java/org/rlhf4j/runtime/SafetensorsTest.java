package org.rlhf4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.testkit.Shared;

class SafetensorsTest {
  @TempDir Path dir;

  private static Map<String, Tensor> sample() {
    Runtime.seed(7);
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a.weight", torch.randn(3, 5));
    m.put("b.bf16", torch.randn(4, 2).to(torch.ScalarType.BFloat16));
    m.put("c.half", torch.randn(7).to(torch.ScalarType.Half));
    m.put("d.ids", torch.arange(new org.bytedeco.pytorch.Scalar(10)).to(torch.ScalarType.Long));
    m.put("e.int", torch.arange(new org.bytedeco.pytorch.Scalar(6)).to(torch.ScalarType.Int).reshape(2, 3));
    return m;
  }

  @Test
  void roundTripIsBitExactForEveryDtype() {
    Map<String, Tensor> in = sample();
    Path f = dir.resolve("x.safetensors");
    Safetensors.save(f, in, Map.of("format", "pt"));
    Map<String, Tensor> out = Safetensors.load(f);
    assertThat(out.keySet()).containsExactlyElementsOf(in.keySet());
    for (String k : in.keySet()) {
      assertThat(DType.of(out.get(k).scalar_type())).as(k).isEqualTo(DType.of(in.get(k).scalar_type()));
      assertThat(out.get(k).shape()).as(k).isEqualTo(in.get(k).shape());
      assertThat(torch.equal(out.get(k), in.get(k))).as(k).isTrue();
    }
    assertThat(Safetensors.header(f).metadata()).containsEntry("format", "pt");
  }

  @Test
  void shardedDirectoryRoundTrips() throws Exception {
    Map<String, Tensor> in = sample();
    Safetensors.saveDir(dir, in, Map.of(), 64);
    assertThat(dir.resolve(Safetensors.INDEX)).exists();
    assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".safetensors")).count()).isGreaterThan(1);
    Map<String, Tensor> out = Safetensors.loadDir(dir);
    for (String k : in.keySet()) assertThat(torch.equal(out.get(k), in.get(k))).as(k).isTrue();
  }

  @Test
  void truncatedFileNamesFileAndTensor() throws Exception {
    Path f = dir.resolve("t.safetensors");
    Safetensors.save(f, sample(), Map.of());
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length - 10));
    assertThatThrownBy(() -> Safetensors.load(f))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("t.safetensors").hasMessageContaining("truncated").hasMessageContaining("e.int");
    Files.write(f, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Safetensors.load(f)).hasMessageContaining("t.safetensors");
  }

  @Test
  void readsReferenceBf16Checkpoint() {
    Path f = Shared.require("fixtures/llama-tiny-bf16/model.safetensors");
    var h = Safetensors.header(f);
    assertThat(h.entries().values()).allMatch(e -> e.dtype() == DType.BF16);
    Map<String, Tensor> t = Safetensors.load(f);
    Map<String, Tensor> f32 = Safetensors.load(Shared.require("fixtures/llama-tiny/model.safetensors"));
    assertThat(t.keySet()).isEqualTo(f32.keySet());
  }
}
