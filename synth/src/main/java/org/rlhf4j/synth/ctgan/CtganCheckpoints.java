package org.rlhf4j.synth.ctgan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.synth.SynthJson;
import org.rlhf4j.synth.transform.DataTransformer;
import org.rlhf4j.training.optim.AdamW;

/**
 * The run folder of a CTGAN training: {@code metrics.jsonl}, {@code checkpoints/epoch-<e>/} (generator,
 * critic, both optimizers and, when kept, the generator's weight average as safetensors, {@code state.json} written last) with a {@code latest} pointer,
 * {@code checkpoints/transformer.json}, and at the end the model itself ({@code synthesizer.json} +
 * {@code generator.safetensors}). A checkpoint is written into a temporary folder and renamed when complete, so a
 * crash never leaves a half-written one; a folder holding a run with other settings is refused, not overwritten.
 */
final class CtganCheckpoints {
  static final String METRICS = "metrics.jsonl";
  private final Path out, dir;
  private final CtganConfig config;

  CtganCheckpoints(Path out, CtganConfig config) throws IOException {
    this.out = out;
    this.dir = out.resolve("checkpoints");
    this.config = config;
    Files.createDirectories(dir);
  }

  /** The transformer saved by an earlier run of this folder, or null. */
  DataTransformer transformer() throws IOException {
    Path f = dir.resolve("transformer.json");
    return Files.isRegularFile(f) ? SynthJson.MAPPER.readValue(f.toFile(), DataTransformer.class) : null;
  }

  /** Loads the latest checkpoint into the live networks and optimizers; returns its epoch (0 when none). */
  int resume(DataTransformer t, CtganGenerator g, CtganDiscriminator d, AdamW optG, AdamW optD, GeneratorEma ema) throws IOException {
    Path latest = latest();
    if (latest == null) {
      Files.deleteIfExists(out.resolve(METRICS));
      SynthJson.write(dir.resolve("transformer.json"), t);
      return 0;
    }
    JsonNode state = SynthJson.read(latest.resolve("state.json"));
    if (!state.path("stamp").asText().equals(config.stamp())) {
      throw new IllegalArgumentException(out + " holds a CTGAN run with other settings (" + state.path("stamp").asText()
          + " vs " + config.stamp() + "): use a new output folder");
    }
    int epoch = state.path("epoch").asInt();
    Ctgan.copyInto(g.parameters(), latest.resolve("generator.safetensors"));
    Ctgan.copyInto(d.parameters(), latest.resolve("discriminator.safetensors"));
    if (ema != null) Ctgan.copyInto(ema.average().parameters(), latest.resolve(GeneratorEma.FILE)); // the stamp says it is there
    try (NativeScope s = NativeScope.open()) {
      optG.loadState(Safetensors.load(latest.resolve("optimizer_g.safetensors")));
      optD.loadState(Safetensors.load(latest.resolve("optimizer_d.safetensors")));
    }
    truncateMetrics(epoch);
    return epoch;
  }

  void log(Map<String, Object> record) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(out.resolve(METRICS), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      w.write(SynthJson.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(record));
      w.newLine();
    }
  }

  void save(int epoch, DataTransformer t, CtganGenerator g, CtganDiscriminator d, AdamW optG, AdamW optD, GeneratorEma ema)
      throws IOException {
    Path tmp = dir.resolve(".epoch-" + epoch + ".tmp"), target = dir.resolve("epoch-" + epoch);
    deleteTree(tmp);
    Files.createDirectories(tmp);
    try (NativeScope s = NativeScope.open()) {
      Safetensors.save(tmp.resolve("generator.safetensors"), g.parameters(), Map.of("format", "pt"));
      Safetensors.save(tmp.resolve("discriminator.safetensors"), d.parameters(), Map.of("format", "pt"));
      if (ema != null) Safetensors.save(tmp.resolve(GeneratorEma.FILE), ema.average().parameters(), Map.of("format", "pt"));
      Safetensors.save(tmp.resolve("optimizer_g.safetensors"), optG.state(), Map.of("format", "rlhf4j-adamw"));
      Safetensors.save(tmp.resolve("optimizer_d.safetensors"), optD.state(), Map.of("format", "rlhf4j-adamw"));
    }
    SynthJson.write(tmp.resolve("state.json"), Map.of("epoch", epoch, "stamp", config.stamp()));
    deleteTree(target);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    Path pointer = dir.resolve("latest.tmp");
    Files.writeString(pointer, target.getFileName().toString(), StandardCharsets.UTF_8);
    Files.move(pointer, dir.resolve("latest"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    for (Path old : checkpoints()) if (!old.equals(target)) deleteTree(old); // keep only the newest
  }

  void saveModel(Ctgan model) throws IOException { model.save(out); }

  private Path latest() throws IOException {
    Path pointer = dir.resolve("latest");
    if (!Files.isRegularFile(pointer)) return null;
    Path p = dir.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
    return Files.isRegularFile(p.resolve("state.json")) ? p : null;
  }

  private List<Path> checkpoints() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("epoch-")).toList();
    }
  }

  /** Drops metrics of epochs after {@code epoch} (logged by a run that stopped before its next checkpoint). */
  private void truncateMetrics(int epoch) throws IOException {
    Path f = out.resolve(METRICS);
    if (!Files.isRegularFile(f)) return;
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && SynthJson.MAPPER.readTree(line).path("epoch").asInt() <= epoch) kept.add(line);
    }
    Path tmp = f.resolveSibling(METRICS + ".tmp");
    Files.write(tmp, kept, StandardCharsets.UTF_8);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
