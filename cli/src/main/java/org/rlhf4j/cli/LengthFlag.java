package org.rlhf4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --max-length} (key {@code max_length}), a mixin of the commands that cut each example to a token length:
 * sft, reward, dpo, kto. Pretrain's blocks are {@code --seq-length}; ppo, rloo and grpo limit responses with
 * {@code --max-new-tokens}, so the flag is not offered to them.
 */
public final class LengthFlag {
  @Option(names = "--max-length", description = "Tokens per example (prompt + completion).") Integer maxLength;

  /** Applies the flag over the --config key. */
  void apply(Settings s) { s.put("max_length", maxLength); }
}
