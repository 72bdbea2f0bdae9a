package org.rlhf4j.cli;

import java.util.Set;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.runtime.Distributed;

/**
 * The CLI side of data-parallel training: a command that supports it joins the group its environment describes
 * ({@code rlhf4j launch} or torchrun's RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT), and only rank 0 writes the
 * run's outputs.
 */
final class Ranks {
  /**
   * The commands that train data-parallel: the token-level loop with a sharded sampler, and the on-policy loop (each
   * rank samples its share of the prompts: training/.../rollout/RankShare).
   */
  static final Set<String> SUPPORTED = Set.of("pretrain", "sft", "dpo", "ppo", "rloo", "grpo");

  private Ranks() {}

  /** Joins the environment's group when WORLD_SIZE is set; errors name the variable. */
  static void join(String command) {
    if (!SUPPORTED.contains(command)) throw new IllegalArgumentException("not a data-parallel command: " + command);
    try {
      Distributed.initFromEnvironment().ifPresent(d ->
          Reporter.get().info("data-parallel: rank %d of %d (Gloo over %s:%s)", d.rank(), d.worldSize(),
              System.getenv().getOrDefault("MASTER_ADDR", "127.0.0.1"), System.getenv().getOrDefault("MASTER_PORT", "29500")));
    } catch (IllegalArgumentException e) {
      throw new UserError("data-parallel environment: " + e.getMessage());
    }
  }

  /** Whether this process writes the run's outputs (rank 0, or no group). */
  static boolean writes() { return Distributed.current().map(Distributed::isMain).orElse(true); }
}
