package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.lora.LoraConfig;
import org.rlhf4j.models.lora.LoraModel;
import org.rlhf4j.testkit.Shared;

class LoraCommandTest {
  @TempDir Path tmp;

  /** A non-trivial adapter on stories260K (lora_B drawn instead of zero), written in PEFT layout. */
  private Path adapter(Path base) {
    CausalLM m = CausalLM.load(base);
    LoraModel lora = m.addAdapters(LoraConfig.of(4, 8, "q_proj,v_proj,down_proj").withBaseModel(base.toString()), 3);
    try (NoGradGuard g = new NoGradGuard()) {
      lora.parameters().forEach((k, t) -> {
        if (k.endsWith("lora_B.weight")) t.normal_(0, 0.3, new org.bytedeco.pytorch.GeneratorOptional());
      });
    }
    Path dir = tmp.resolve("adapter");
    lora.save(dir);
    return dir;
  }

  private static String ids(CliRun r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out()).get("output_ids").toString();
  }

  @Test
  void generateWithAdapterEqualsTheMergedModelAndDiffersFromTheBase() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    Path a = adapter(base);
    String[] gen = {"generate", "--prompt", "Once upon a time", "--max-new-tokens", "24", "--json"};
    String plain = ids(CliRun.of(concat(gen, "--model", base.toString())));
    String adapted = ids(CliRun.of(concat(gen, "--model", base.toString(), "--adapter", a.toString())));
    assertThat(adapted).isNotEqualTo(plain);

    Path merged = tmp.resolve("merged");
    CliRun m = CliRun.of("lora", "merge", "--model", base.toString(), "--adapter", a.toString(), "--output", merged.toString());
    assertThat(m.code()).as(m.err()).isZero();
    assertThat(m.out()).contains("15 modules merged");
    assertThat(merged.resolve("tokenizer.json")).exists();
    assertThat(merged.resolve(LoraModel.CONFIG_FILE)).doesNotExist();
    assertThat(ids(CliRun.of(concat(gen, "--model", merged.toString())))).isEqualTo(adapted);
  }

  @Test
  void badAdapterFoldersGiveOneLineUsageErrors() throws Exception {
    Path base = Shared.require("fixtures/stories260K");
    CliRun missing = CliRun.of("generate", "--model", base.toString(), "--adapter", tmp.resolve("nope").toString(), "--prompt", "hi");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip()).doesNotContain("\n").contains("nope");
    Files.createDirectories(tmp.resolve("empty"));
    CliRun empty = CliRun.of("lora", "merge", "--model", base.toString(), "--adapter", tmp.resolve("empty").toString(),
        "--output", tmp.resolve("o").toString());
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).contains("rlhf4j lora merge: error:").contains("adapter_config.json");
    Path wrong = adapter(Shared.require("fixtures/stories260K"));
    CliRun gpt2 = CliRun.of("lora", "merge", "--model", Shared.require("fixtures/gpt2-tiny").toString(), "--adapter",
        wrong.toString(), "--output", tmp.resolve("o2").toString());
    assertThat(gpt2.code()).isEqualTo(2);
    assertThat(gpt2.err()).contains("matches no module").contains("c_attn");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
