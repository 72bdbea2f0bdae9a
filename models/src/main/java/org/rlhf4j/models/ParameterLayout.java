package org.rlhf4j.models;

/**
 * How a {@link ModelFamily} declares its parameters: each one's checkpoint name, shape and init
 * rule. {@link Init} answers with fresh tensors, {@link ModelConfig#parameterCount()} with counts;
 * both see the same declarations, so shapes are written down once per family.
 */
public interface ParameterLayout {
  /** Init std of embeddings and matmul weights (GPT-2 / nanoGPT convention). */
  double STD = 0.02;

  /** A lookup table (rows, cols) drawn from normal(0, std); not a matmul. */
  void embedding(String name, double std, long rows, long cols);

  /**
   * A matmul weight (rows, cols) drawn from normal(0, 0.02); a {@code residual} projection (one
   * writing into the residual stream) is scaled down to 0.02 / sqrt(2 * layers).
   */
  void weight(String name, boolean residual, long rows, long cols);

  /** A norm scale, initialised to ones. */
  void ones(String name, long size);

  /** A bias or norm shift, initialised to zeros. */
  void zeros(String name, long size);
}
