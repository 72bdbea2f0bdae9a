package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 11, item 7: every setting documented with its default, in --help and in the generated docs/config.md. */
class ConfigReferenceTest {
  /** docs/config.md at the repository root (the cli module's parent). */
  static Path page() {
    Path here = Path.of("").toAbsolutePath();
    return (Files.isDirectory(here.resolve("docs")) || !Files.isRegularFile(here.resolve("../pom.xml")) ? here : here.getParent())
        .resolve("docs/config.md");
  }

  @Test void docsConfigMdIsUpToDate() throws Exception {
    String generated = ConfigReference.markdown(Main.commandLine());
    Path page = page();
    if (Boolean.getBoolean("rlhf4j.updateDocs")) {
      Files.createDirectories(page.getParent());
      Files.writeString(page, generated, StandardCharsets.UTF_8);
    }
    assertThat(page).as("docs/config.md exists (regenerate with -Drlhf4j.updateDocs=true)").isRegularFile();
    assertThat(Files.readString(page, StandardCharsets.UTF_8)).as("docs/config.md is out of date: regenerate it with "
        + "mvn -pl cli test -Dtest=ConfigReferenceTest -Drlhf4j.updateDocs=true").isEqualTo(generated);
  }

  @Test void everyKeyOfEveryTrainingCommandIsDocumentedWithADefault() {
    CommandLine root = Main.commandLine();
    for (String c : ConfigReference.COMMANDS) {
      var spec = root.getSubcommands().get(c).getCommandSpec();
      var entries = ConfigReference.entries(c, spec);
      assertThat(entries).as(c).isNotEmpty();
      assertThat(entries.stream().filter(e -> e.what().isBlank()).map(ConfigReference.Entry::key))
          .as(c + ": settings with neither a flag nor a KEY_DOCS entry").isEmpty();
      if (c.equals("best-of-n")) { // trains nothing: the loop's settings are not offered
        assertThat(entries.stream().map(ConfigReference.Entry::key)).as(c).doesNotContain("max_steps", "lr", "resume")
            .contains("n", "reward_model", "response_length");
        continue;
      }
      assertThat(entries.stream().map(ConfigReference.Entry::key)).as(c).contains("save_every", "warmup_steps",
          "grad_accumulation", "eval_every", "max_steps");
      for (var e : entries) assertThat(e.what()).as(c + " " + e.key()).isNotBlank();
    }
    assertThat(ConfigReference.defaults("sft")).containsEntry("max_steps", 1000).containsEntry("save_every", 500);
    assertThat(ConfigReference.defaults("ppo")).containsEntry("max_steps", 100).containsEntry("lr", 3e-6);
  }

  @Test void helpShowsEveryDefault() {
    CliRun r = CliRun.of("sft", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Settings (flag or --config key: default", "max_steps (--max-steps): 1000",
        "warmup_steps: 0", "save_every: 500", "grad_accumulation: 1", "overflow: truncate_prompt_left");
    CliRun p = CliRun.of("ppo", "--help");
    assertThat(p.out()).contains("max_steps (--max-steps): 100", "response_length (--max-new-tokens): 53");
  }
}
