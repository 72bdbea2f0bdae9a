package org.rlhf4j.synth;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.synth.copula.GaussianCopula;
import org.rlhf4j.synth.ctgan.Ctgan;

/** Loads any synthesizer folder by the {@code kind} in its {@code synthesizer.json}. */
public final class Synthesizers {
  private Synthesizers() {}

  public static Synthesizer load(Path dir, Device device) {
    Path f = dir.resolve("synthesizer.json");
    if (!Files.isRegularFile(f)) throw new IllegalArgumentException(dir + " has no synthesizer.json (train one with rlhf4j synth fit)");
    JsonNode json = SynthJson.read(f);
    String kind = json.path("kind").asText();
    return switch (kind) {
      case Ctgan.KIND -> Ctgan.load(dir, json, device);
      case GaussianCopula.KIND -> GaussianCopula.load(dir, json);
      default -> throw new IllegalArgumentException(f + ": unknown synthesizer kind '" + kind + "' (expected ctgan or copula)");
    };
  }
}
