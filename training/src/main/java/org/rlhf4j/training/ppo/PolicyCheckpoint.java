package org.rlhf4j.training.ppo;

import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.heads.ScalarHead;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.training.loop.CheckpointIO;

/**
 * Checkpoints of a trained policy in Hugging Face layout ({@code config.json} +
 * {@code model.safetensors}, loadable with {@link CausalLM#load}), plus
 * {@code value_head.safetensors} ({@code v_head.summary.*}) when PPO trains a value head.
 */
public final class PolicyCheckpoint implements CheckpointIO {
  public static final String VALUE_HEAD_FILE = "value_head.safetensors";
  private final CausalLM policy;
  private final ScalarHead valueHead;

  /** {@code valueHead} may be null. */
  public PolicyCheckpoint(CausalLM policy, ScalarHead valueHead) {
    this.policy = policy;
    this.valueHead = valueHead;
  }

  @Override public void save(Path dir) {
    policy.save(dir);
    if (valueHead != null) Safetensors.save(dir.resolve(VALUE_HEAD_FILE), valueHead.parameters(), Map.of("format", "pt"));
  }

  @Override public void load(Path dir) {
    try (NativeScope scope = NativeScope.open(); NoGradGuard ng = new NoGradGuard()) {
      copyInto(policy.parameters(), Safetensors.loadDir(dir), dir.toString());
      if (valueHead != null) {
        Path file = dir.resolve(VALUE_HEAD_FILE);
        copyInto(valueHead.parameters(), Safetensors.load(file), file.toString());
      }
    }
  }

  private static void copyInto(Map<String, Tensor> live, Map<String, Tensor> saved, String source) {
    live.forEach((name, p) -> {
      Tensor t = saved.get(name);
      if (t == null) throw new IllegalArgumentException(source + ": no tensor '" + name + "'");
      p.copy_(t);
    });
  }
}
