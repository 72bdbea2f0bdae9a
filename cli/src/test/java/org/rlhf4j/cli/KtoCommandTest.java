package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.UnpairedExample;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.testkit.Shared;

/** rlhf4j kto end to end on llama2.c's stories260K, on TRL's unpaired format and on the feedback service's export. */
class KtoCommandTest {
  @TempDir static Path tmp;
  static Path model, trl, export;

  @BeforeAll static void files() throws Exception {
    model = Shared.require("fixtures/stories260K");
    trl = tmp.resolve("trl.jsonl");
    Files.write(trl, List.of("{\"prompt\": \"Once upon a time\", \"completion\": \" there was a dog.\", \"label\": true}",
        "{\"prompt\": \"The cat\", \"completion\": \" no\", \"label\": false}",
        "{\"prompt\": \"Lily went\", \"completion\": \" to the park.\", \"label\": true}"));
    export = tmp.resolve("export.jsonl"); // what GET /api/production/export?format=unpaired writes
    DataFiles.writeUnpaired(export, List.of(
        new UnpairedExample(Content.text("The dog"), Content.text(" ran home."), true),
        new UnpairedExample(Content.text("The sun"), Content.text(" x x x"), false)));
  }

  @Test void trainsOnTrlUnpairedRowsAndWritesACompleteModelFolder() throws Exception {
    Path out = tmp.resolve("kto");
    CliRun r = CliRun.of("kto", "--model", model.toString(), "--data", trl.toString(), "--output", out.toString(),
        "--max-steps", "2", "--batch-size", "2", "--lr", "1e-3", "--undesirable-weight", "1.5");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("kto: 2 desirable, 1 undesirable");
    assertThat(Files.readAllLines(out.resolve("metrics.jsonl")).get(0)).contains("\"kl\"", "\"count/chosen\"");
    assertThat(out.resolve("checkpoint-2/config.json")).isRegularFile();
    assertThat(out.resolve("tokenizer.json")).isRegularFile();
    assertThat(CausalLM.load(out).config()).isEqualTo(CausalLM.load(model).config());
    assertThat(Files.readString(out.resolve(Settings.FILE))).contains("undesirable_weight: 1.5");
    UsabilityCommandsTest.assertCompleteModelFolder(out, "kto"); // issue 11, item 1: card, generation config, chat template
    assertThat(out.resolve("report.html")).isRegularFile();
  }

  @Test void trainsBcoOnTheFeedbackServiceExport() throws Exception {
    Path out = tmp.resolve("bco");
    CliRun r = CliRun.of("kto", "--model", model.toString(), "--data", export.toString(), "--output", out.toString(),
        "--max-steps", "1", "--batch-size", "2", "--loss-type", "bco");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(out.resolve("metrics.jsonl")).get(0)).contains("\"delta\"");
  }

  @Test void badInputIsAUsageError() {
    CliRun r = CliRun.of("kto", "--model", model.toString(), "--data", trl.toString(), "--output",
        tmp.resolve("x").toString(), "--loss-type", "nonsense");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--loss-type");
    CliRun one = CliRun.of("kto", "--model", model.toString(), "--data", trl.toString(), "--output",
        tmp.resolve("y").toString(), "--batch-size", "1");
    assertThat(one.code()).isEqualTo(2);
    assertThat(one.err()).contains("--batch-size >= 2");
  }
}
