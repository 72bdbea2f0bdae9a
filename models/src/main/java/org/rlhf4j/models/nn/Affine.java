package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;

/** A matmul layer with bias: torch's {@link Linear} ([out, in]) or GPT-2's {@link Conv1D} ([in, out]). */
public sealed interface Affine permits Linear, Conv1D {
  Tensor forward(Tensor x); // (..., in) -> (..., out)

  Tensor weight();

  long inFeatures();

  long outFeatures();

  /** True when the weight is stored [in, out] (PEFT's {@code fan_in_fan_out}). */
  boolean fanInFanOut();
}
