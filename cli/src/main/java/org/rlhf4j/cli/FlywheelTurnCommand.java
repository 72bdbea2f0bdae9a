package org.rlhf4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.serving.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rlhf4j flywheel turn}: export → train → register. A script over the other commands: {@code kto} (and
 * {@code dpo}) run exactly as from the command line, in OUTPUT/turn-K/, so their settings, checks, reports and
 * model folders are theirs. An interrupted turn is resumed: the next run reuses its export and its checkpoints.
 */
@Command(name = "turn", mixinStandardHelpOptions = true,
    description = {"Exports the production feedback, trains the current version on it and registers the candidate.",
        "Writes OUTPUT/turn-K/{unpaired.jsonl, pairs.jsonl, kto/, dpo/, turn.json} and OUTPUT/registry.json."})
public final class FlywheelTurnCommand implements Callable<Integer> {
  @Mixin FlywheelFlags flags;
  @Option(names = "--model", description = "The version serving now (needed on the first turn; later turns train the registry's current version).") Path model;
  @Option(names = "--signals", defaultValue = "all", description = "Feedback to learn from: explicit (thumbs, corrections), implicit (weak labels) or all (default).") String signals;
  @Option(names = "--project", description = "Only this feedback-service project's production feedback.") Long project;
  @Option(names = "--max-steps", defaultValue = "50", description = "Optimizer steps of each training stage (default: ${DEFAULT-VALUE}).") int maxSteps;
  @Option(names = "--batch-size", defaultValue = "8", description = "Examples per batch (default: ${DEFAULT-VALUE}).") int batchSize;
  @Option(names = "--lr", description = "Learning rate (default: the trainers' own).") Double lr;
  @Option(names = "--min-pairs", defaultValue = "16", description = "DPO runs after KTO when the corrections give at least this many pairs (default: ${DEFAULT-VALUE}).") int minPairs;

  @Override public Integer call() throws IOException {
    if (!List.of("explicit", "implicit", "all").contains(signals)) throw new UserError("--signals must be explicit, implicit or all, got '" + signals + "'");
    ModelRegistry registry = registry();
    if (registry.candidate() != null) {
      throw new UserError("version " + registry.candidate() + " is still the candidate in " + flags.output.resolve(ModelRegistry.FILE)
          + ": run 'rlhf4j flywheel decide' first (promote or roll back)");
    }
    Path current = Path.of(registry.entry(registry.current()).path());
    Path turn = nextTurn();
    Path unpaired = turn.resolve("unpaired.jsonl"), pairs = turn.resolve("pairs.jsonl");
    if (!Files.isRegularFile(unpaired) || !Files.isRegularFile(pairs)) export(unpaired, pairs);
    else System.out.println("flywheel: resuming " + turn + " with its export");
    var rows = DataFiles.readUnpaired(unpaired);
    int nUnpaired = rows.size(), nPairs = DataFiles.readPreferences(pairs).size();
    long good = rows.stream().filter(u -> u.desirable()).count();
    if (nUnpaired == 0) throw new UserError("--service: no production feedback to learn from yet (" + signals + " signals)");
    System.out.printf("flywheel: %s, %d labelled responses (%d desirable), %d correction pairs%n", turn.getFileName(), nUnpaired, good, nPairs);
    Path trained = train(current, turn.resolve("kto"), "kto", unpaired);
    boolean dpo = nPairs >= minPairs;
    if (dpo) trained = train(trained, turn.resolve("dpo"), "dpo", pairs);
    else System.out.printf("flywheel: %d correction pairs < --min-pairs %d: no DPO stage%n", nPairs, minPairs);
    Map<String, Object> on = new LinkedHashMap<>();
    on.put("turn", turn.getFileName().toString());
    on.put("signals", signals);
    on.put("unpaired", nUnpaired);
    on.put("desirable", good);
    on.put("pairs", nPairs);
    on.put("stages", dpo ? List.of("kto", "dpo") : List.of("kto"));
    on.put("max_steps", maxSteps);
    ModelRegistry next;
    try {
      next = registry.withCandidate(trained, on);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    next.write(flags.output);
    Files.writeString(turn.resolve("turn.json"), new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(Map.of("from", registry.current(), "candidate", next.candidate(), "trained_on", on)), StandardCharsets.UTF_8);
    System.out.printf("flywheel: candidate version %s (from %s) in %s%n  A/B test it: rlhf4j serve-model --model %s --ab-model %s --feedback-url %s%n"
        + "  then: rlhf4j flywheel decide --service %s --output %s%n", next.candidate(), registry.current(), trained, current, trained,
        flags.service, flags.service, flags.output);
    return 0;
  }

  private ModelRegistry registry() throws IOException {
    var existing = ModelRegistry.read(flags.output);
    if (existing.isPresent()) {
      if (model != null && !org.rlhf4j.serving.ServedModel.version(model).equals(existing.get().current())) {
        throw new UserError("--model " + model + " is not the registry's current version " + existing.get().current()
            + " (" + flags.output.resolve(ModelRegistry.FILE) + "); leave --model out to train the current version");
      }
      return existing.get();
    }
    if (model == null) throw new UserError("--model is required on the first turn (no " + flags.output.resolve(ModelRegistry.FILE) + " yet)");
    if (!Files.isRegularFile(model.resolve("config.json"))) throw new UserError("--model " + model + " has no config.json");
    ModelRegistry r = ModelRegistry.starting(model);
    r.write(flags.output);
    return r;
  }

  /** The first turn-K folder without a turn.json (an interrupted turn is resumed). */
  private Path nextTurn() throws IOException {
    for (int k = 1; ; k++) {
      Path t = flags.output.resolve("turn-" + k);
      if (!Files.isRegularFile(t.resolve("turn.json"))) return Files.createDirectories(t);
    }
  }

  private void export(Path unpaired, Path pairs) throws IOException {
    String scope = project == null ? "" : "&project=" + project;
    String u = flags.text("/api/production/export?format=unpaired&signals=" + signals + scope);
    String p = signals.equals("implicit") ? "" : flags.text("/api/production/export?format=preferences" + scope);
    Files.writeString(pairs.resolveSibling(pairs.getFileName() + ".tmp"), p, StandardCharsets.UTF_8);
    Files.writeString(unpaired, u, StandardCharsets.UTF_8);
    Files.move(pairs.resolveSibling(pairs.getFileName() + ".tmp"), pairs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Runs {@code rlhf4j COMMAND} from {@code from} into {@code out} (resuming its checkpoints); returns {@code out}. */
  private Path train(Path from, Path out, String command, Path data) {
    if (Files.isRegularFile(out.resolve("config.json")) && Files.isRegularFile(out.resolve(".flywheel-done"))) {
      System.out.println("flywheel: " + command + " already finished in " + out);
      return out;
    }
    List<String> args = new ArrayList<>(List.of(command, "--model", from.toString(), "--data", data.toString(), "--output", out.toString(),
        "--max-steps", String.valueOf(maxSteps), "--batch-size", String.valueOf(batchSize)));
    if (lr != null) args.addAll(List.of("--lr", lr.toString()));
    if (Files.isDirectory(out)) args.add("--resume");
    int code = Main.commandLine().execute(args.toArray(String[]::new));
    if (code != 0) throw new UserError("flywheel: '" + String.join(" ", args) + "' failed (exit " + code + "); fix it and run the turn again to resume");
    if (!Files.isRegularFile(out.resolve("model.safetensors")) || !Files.isRegularFile(out.resolve("tokenizer.json"))) {
      throw new UserError("flywheel: " + command + " left no complete model folder (model.safetensors + tokenizer.json) at the top of " + out);
    }
    try {
      Files.writeString(out.resolve(".flywheel-done"), "");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}
