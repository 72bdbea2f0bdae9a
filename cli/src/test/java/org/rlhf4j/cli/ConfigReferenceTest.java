package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
          "grad_accumulation", "max_steps");
      for (var e : entries) assertThat(e.what()).as(c + " " + e.key()).isNotBlank();
    }
    assertThat(keys(root, "reward")).contains("eval_every", "log_every", "max_length");
    assertThat(ConfigReference.defaults("sft")).containsEntry("max_steps", 1000).containsEntry("save_every", 500);
    assertThat(ConfigReference.defaults("ppo")).containsEntry("max_steps", 100).containsEntry("lr", 3e-6);
  }

  private static List<String> keys(CommandLine root, String command) {
    return ConfigReference.entries(command, root.getSubcommands().get(command).getCommandSpec()).stream()
        .map(ConfigReference.Entry::key).toList();
  }

  /**
   * Issue 11, item 7: a command is offered only the settings it reads. eval_every is reward's alone (the only
   * command with held-out data); ppo/rloo/grpo log once per iteration and limit responses with --max-new-tokens
   * (no log_every, no --max-length); pretrain cuts blocks with --seq-length.
   */
  @Test void noCommandIsOfferedASettingItIgnores() {
    CommandLine root = Main.commandLine();
    for (String c : List.of("pretrain", "sft", "dpo", "kto", "ppo", "rloo", "grpo")) {
      assertThat(keys(root, c)).as(c).doesNotContain("eval_every");
    }
    for (String c : List.of("ppo", "rloo", "grpo")) {
      assertThat(keys(root, c)).as(c).doesNotContain("log_every", "max_length");
      assertThat(root.getSubcommands().get(c).getCommandSpec().findOption("--max-length")).as(c + " --max-length").isNull();
    }
    assertThat(keys(root, "pretrain")).contains("seq_length", "log_every").doesNotContain("max_length");
    assertThat(root.getSubcommands().get("pretrain").getCommandSpec().findOption("--max-length")).isNull();
    for (String c : List.of("sft", "reward", "dpo", "kto")) {
      assertThat(keys(root, c)).as(c).contains("max_length", "log_every");
      assertThat(root.getSubcommands().get(c).getCommandSpec().findOption("--max-length")).as(c).isNotNull();
    }
  }

  /** What the user sees: the flag is refused as unknown, a config key as an unknown setting naming it. */
  @Test void settingsACommandIgnoresAreRefused(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    CliRun flag = CliRun.of("ppo", "--max-length", "64", "--model", "m", "--data", "d", "--output", "o");
    assertThat(flag.code()).isEqualTo(2);
    assertThat(flag.err()).contains("--max-length");
    Path cfg = tmp.resolve("c.yaml");
    Files.writeString(cfg, "eval_every: 5\n");
    CliRun key = CliRun.of("dpo", "--config", cfg.toString(), "--model", "m", "--data", "d", "--output", "o");
    assertThat(key.code()).isEqualTo(2);
    assertThat(key.err()).contains("unknown setting 'eval_every'");
    Path empty = tmp.resolve("empty.yaml"); // an empty (or comments-only) config file is no settings, not malformed YAML
    Files.writeString(empty, "# nothing yet\n");
    CliRun none = CliRun.of("dpo", "--config", empty.toString(), "--data", "d", "--output", "o");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no model: give --model").doesNotContain("malformed");
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
