package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rlhf4j synth fit|sample|report} end to end on a small table, and their one-line errors. */
class SynthCommandsTest {
  @TempDir Path dir;

  private static CliRun run(String... args) { return CliRun.of(args); }

  /** age (integer), hours, city, label: label depends on age and city, so a classifier can learn it. */
  private Path table(String name, int rows, long seed) throws Exception {
    Random r = new Random(seed);
    List<String> lines = new ArrayList<>(List.of("age,hours,city,label"));
    String[] cities = {"Paris", "Rome", "Oslo", "?"};
    for (int i = 0; i < rows; i++) {
      int age = 18 + r.nextInt(50);
      String city = cities[r.nextInt(4)];
      double hours = 20 + 0.4 * age + 5 * r.nextGaussian();
      boolean high = age + (city.equals("Oslo") ? 15 : 0) + 8 * r.nextGaussian() > 50;
      lines.add(String.format(Locale.ROOT, "%d,%.1f,%s,%s", age, hours, city, high ? "high" : "low"));
    }
    return Files.write(dir.resolve(name), lines);
  }

  @Test void copulaFitSampleAndReport() throws Exception {
    Path train = table("train.csv", 600, 1), test = table("test.csv", 300, 2);
    CliRun fit = run("synth", "fit", train.toString(), "--synthesizer", "copula", "--output", dir.resolve("model").toString());
    assertThat(fit.code()).as(fit.err()).isZero();
    CliRun sample = run("synth", "sample", "--model", dir.resolve("model").toString(), "--rows", "600", "--output", dir.resolve("s.csv").toString());
    assertThat(sample.code()).as(sample.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("s.csv"))).hasSize(601).first().isEqualTo("age,hours,city,label");
    CliRun report = run("synth", "report", train.toString(), dir.resolve("s.csv").toString(), "--holdout", test.toString(),
        "--target", "label", "--output", dir.resolve("rep").toString(), "--privacy-rows", "300");
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.out()).contains("fidelity/overall=");
    JsonNode q = new ObjectMapper().readTree(dir.resolve("rep/quality.json").toFile());
    assertThat(q.at("/fidelity/overall").asDouble()).isGreaterThan(0.8); // the copula keeps marginals and linear trends
    assertThat(q.at("/utility/trtr/xgboost/auc").asDouble()).isGreaterThan(0.75); // the label is learnable
    assertThat(q.at("/privacy/membershipAuc").asDouble()).isBetween(0.3, 0.7);
    assertThat(dir.resolve("rep/report.html")).content().contains("Utility: train on synthetic", "column-04.png", "correlation-real.png");
    assertThat(dir.resolve("rep/column-01.png")).isNotEmptyFile();
  }

  @Test void ctganFitsResumesAndSamples() throws Exception {
    Path train = table("train.csv", 200, 3);
    String out = dir.resolve("ctgan").toString();
    CliRun fit = run("synth", "fit", train.toString(), "--output", out, "--epochs", "1", "--batch-size", "50", "--pac", "5");
    assertThat(fit.code()).as(fit.err()).isZero();
    CliRun again = run("synth", "fit", train.toString(), "--output", out, "--epochs", "2", "--batch-size", "50", "--pac", "5");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already holds a CTGAN run: pass --resume");
    CliRun resumed = run("synth", "fit", train.toString(), "--output", out, "--epochs", "2", "--batch-size", "50", "--pac", "5", "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("ctgan/metrics.jsonl"))).hasSize(2);
    CliRun sample = run("synth", "sample", "--model", out, "--rows", "75", "--output", dir.resolve("s.csv").toString());
    assertThat(sample.code()).as(sample.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("s.csv"))).hasSize(76);
    CliRun reference = run("synth", "sample", "--model", out, "--rows", "75", "--conditions", "training", "--output",
        dir.resolve("t.csv").toString());
    assertThat(reference.code()).as(reference.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("t.csv"))).hasSize(76).isNotEqualTo(Files.readAllLines(dir.resolve("s.csv")));
    CliRun bad = run("synth", "sample", "--model", out, "--rows", "5", "--conditions", "log", "--output", dir.resolve("u.csv").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--conditions: conditions must be frequency, training or column:NAME, got 'log'");
    CliRun byLabel = run("synth", "sample", "--model", out, "--rows", "100", "--conditions", "column:label", "--output", dir.resolve("l.csv").toString());
    assertThat(byLabel.code()).as(byLabel.err()).isZero();
    CliRun noColumn = run("synth", "sample", "--model", out, "--rows", "5", "--conditions", "column:age", "--output", dir.resolve("v.csv").toString());
    assertThat(noColumn.code()).isEqualTo(2);
    assertThat(noColumn.err()).contains("'age' is not a discrete column of this model");
  }

  @Test void ctganSelectsACheckpointOnHeldOutRows() throws Exception {
    Path train = table("train.csv", 300, 5);
    String out = dir.resolve("sel").toString();
    CliRun fit = run("synth", "fit", train.toString(), "--output", out, "--epochs", "2", "--batch-size", "50", "--pac", "5",
        "--select-target", "label", "--validation-fraction", "0.25", "--select-every", "1", "--select-conditions", "column:label",
        "--snapshot-every", "1");
    assertThat(fit.code()).as(fit.err()).isZero();
    assertThat(fit.out()).contains("CTGAN on 225 rows").containsPattern("selected epoch [12] \\(validation f1 [0-9.]+ on 75 held-out rows\\)");
    assertThat(Files.readAllLines(dir.resolve("sel/selection.jsonl"))).hasSize(2);
    CliRun sample = run("synth", "sample", "--model", out + "/best", "--rows", "20", "--output", dir.resolve("b.csv").toString());
    assertThat(sample.code()).as(sample.err()).isZero();
    CliRun top = run("synth", "sample", "--model", out, "--top", "2", "--rows", "21", "--conditions", "training", "--output",
        dir.resolve("top.csv").toString());
    assertThat(top.code()).as(top.err()).isZero();
    assertThat(top.out()).contains("21 rows from 2 ctgan models");
    assertThat(Files.readAllLines(dir.resolve("top.csv"))).hasSize(22);
    CliRun both = run("synth", "sample", "--model", out + "/snapshots/epoch-1", "--model", out + "/snapshots/epoch-2", "--rows", "9",
        "--output", dir.resolve("both.csv").toString());
    assertThat(both.code()).as(both.err()).isZero();
    CliRun noSelection = run("synth", "sample", "--model", out + "/best", "--top", "1", "--rows", "5", "--output", dir.resolve("x.csv").toString());
    assertThat(noSelection.err()).contains("has no selection.jsonl");
    CliRun orphan = run("synth", "fit", train.toString(), "--output", dir.resolve("o").toString(), "--select-every", "2");
    assertThat(orphan.code()).isEqualTo(2);
    assertThat(orphan.err()).contains("--validation-fraction and --select-every need --select-target");
    CliRun copula = run("synth", "fit", train.toString(), "--synthesizer", "copula", "--output", dir.resolve("c").toString(), "--snapshot-every", "1");
    assertThat(copula.err()).contains("--select-target, --snapshot-every and --generator-ema apply to CTGAN only");
    for (String bad : new String[] {"1", "0", "-0.5", "NaN"}) {
      CliRun ema = run("synth", "fit", train.toString(), "--output", dir.resolve("e").toString(), "--generator-ema", bad);
      assertThat(ema.code()).isEqualTo(2);
      assertThat(ema.err().strip()).isEqualTo("rlhf4j synth fit: error: --generator-ema must be a decay in (0, 1) such as 0.999, got " + Double.parseDouble(bad));
    }
    CliRun numeric = run("synth", "fit", train.toString(), "--output", dir.resolve("n").toString(), "--select-target", "age");
    assertThat(numeric.err()).contains("'age' must be categorical");
  }

  @Test void badInputGetsOneLineNamingTheProblem() throws Exception {
    Path ragged = Files.writeString(dir.resolve("r.csv"), "a,b\n1,2\n3\n");
    CliRun r = run("synth", "fit", ragged.toString(), "--output", dir.resolve("m").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("rlhf4j synth fit: error: " + ragged + ":3: row has 1 values, expected 2 (a, b)");
    Path yaml = Files.writeString(dir.resolve("s.yaml"), "columns:\n  city: {type: numeric}\n");
    CliRun typed = run("synth", "fit", table("t.csv", 20, 4).toString(), "--schema", yaml.toString(), "--output", dir.resolve("m").toString());
    assertThat(typed.err()).contains("column 'city' is typed numeric in the schema file but holds");
    CliRun noModel = run("synth", "sample", "--model", dir.toString(), "--rows", "5", "--output", dir.resolve("x.csv").toString());
    assertThat(noModel.err()).contains("has no synthesizer.json");
  }
}
