package org.rlhf4j.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model versions of one flywheel ({@code registry.json}): which version serves (current), which one is being
 * A/B-tested against it (candidate), and for each where it lives, what it was trained from and on, and how it
 * ended (promoted, rolled back). Versions are {@link ServedModel#version}s, the ids serve-model logs with every
 * response, so the feedback service's per-version rates map back here. Written atomically (temp file + move).
 */
public record ModelRegistry(String current, String candidate, List<Entry> versions) {
  public static final String FILE = "registry.json";

  /** One version: its folder, parent version, when and on what it was trained, and its status. */
  public record Entry(String version, String path, String parent, String created, Map<String, Object> trainedOn, String status) {
    public Entry {
      if (version == null || version.isBlank()) throw new IllegalArgumentException("registry entry: version is required");
      if (path == null || path.isBlank()) throw new IllegalArgumentException("registry entry " + version + ": path is required");
      trainedOn = trainedOn == null ? Map.of() : Map.copyOf(trainedOn);
      if (status == null) status = "registered";
    }

    Entry withStatus(String s) { return new Entry(version, path, parent, created, trainedOn, s); }
  }

  public ModelRegistry {
    versions = versions == null ? List.of() : List.copyOf(versions);
    if (current != null && versions.stream().noneMatch(e -> e.version().equals(current))) {
      throw new IllegalArgumentException("registry: current version " + current + " is not among its versions");
    }
    if (candidate != null && versions.stream().noneMatch(e -> e.version().equals(candidate))) {
      throw new IllegalArgumentException("registry: candidate version " + candidate + " is not among its versions");
    }
  }

  /** A registry whose only version, current, is the model in {@code dir}. */
  public static ModelRegistry starting(Path dir) {
    String v = ServedModel.version(dir);
    return new ModelRegistry(v, null, List.of(new Entry(v, dir.toAbsolutePath().normalize().toString(), null, now(), Map.of(), "current")));
  }

  /** The registry in {@code folder}, if there is one. */
  public static Optional<ModelRegistry> read(Path folder) throws IOException {
    Path f = folder.resolve(FILE);
    if (!Files.isRegularFile(f)) return Optional.empty();
    try {
      return Optional.of(JSON.readValue(f.toFile(), ModelRegistry.class));
    } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
      throw new IOException(f + " is not a model registry: " + e.getMessage(), e);
    }
  }

  public void write(Path folder) throws IOException {
    Files.createDirectories(folder);
    Path tmp = folder.resolve(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Entry entry(String version) {
    return versions.stream().filter(e -> e.version().equals(version)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("registry has no version " + version));
  }

  /** The registry with the model in {@code dir} added as the candidate (trained from the current version). */
  public ModelRegistry withCandidate(Path dir, Map<String, Object> trainedOn) {
    String v = ServedModel.version(dir);
    if (versions.stream().anyMatch(e -> e.version().equals(v))) {
      throw new IllegalArgumentException("the model in " + dir + " is version " + v + ", already registered (training changed nothing?)");
    }
    List<Entry> all = new ArrayList<>();
    for (Entry e : versions) all.add(e.version().equals(candidate) ? e.withStatus("superseded") : e);
    all.add(new Entry(v, dir.toAbsolutePath().normalize().toString(), current, now(), trainedOn, "candidate"));
    return new ModelRegistry(current, v, all);
  }

  /** The candidate becomes current (the old current is retired). */
  public ModelRegistry promote() {
    requireCandidate();
    List<Entry> all = new ArrayList<>();
    for (Entry e : versions) {
      all.add(e.version().equals(candidate) ? e.withStatus("current") : e.version().equals(current) ? e.withStatus("retired") : e);
    }
    return new ModelRegistry(candidate, null, all);
  }

  /** The candidate is dropped; current keeps serving. */
  public ModelRegistry rollBack() {
    requireCandidate();
    List<Entry> all = new ArrayList<>();
    for (Entry e : versions) all.add(e.version().equals(candidate) ? e.withStatus("rolled back") : e);
    return new ModelRegistry(current, null, all);
  }

  private void requireCandidate() {
    if (candidate == null) throw new IllegalStateException("the registry has no candidate version (run a flywheel turn first)");
  }

  private static String now() { return Instant.now().toString(); }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
}
