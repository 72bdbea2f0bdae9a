package org.rlhf4j.demo.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.demo.world.World;
import org.rlhf4j.models.CausalLM;

/**
 * What stages 1-3 of the demo leave ({@link DemoPipeline#stages}): the world, its chat template, the base and SFT
 * models (the SFT model's folder), the raters' preferences and the same pairs in tokens, in the same order.
 */
record Stages(World world, Chat chat, CausalLM base, CausalLM sft, Path sftDir, Preferences.Collected prefs,
    List<Tokens.Comparison> comparisons) {
  Stages {
    Objects.requireNonNull(world, "world");
    Objects.requireNonNull(chat, "chat");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(sft, "sft");
    Objects.requireNonNull(sftDir, "sftDir");
    comparisons = List.copyOf(comparisons);
    if (comparisons.size() != prefs.pairs().size()) {
      throw new IllegalArgumentException("comparisons: " + comparisons.size() + " for " + prefs.pairs().size() + " preference pairs");
    }
  }
}
