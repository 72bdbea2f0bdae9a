package org.rlhf4j.runtime;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Anything with named trainable tensors (a model, a head, a toy module in a test). Names follow
 * Hugging Face checkpoint keys, so optimizer state and checkpoints line up with them. The
 * returned map is ordered and stable across calls.
 */
public interface HasParameters {
  Map<String, Tensor> parameters();
}
