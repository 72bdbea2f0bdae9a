package org.rlhf4j.models;

/** Counts a family's declared parameters (without allocating them): all of them, and the matmul weights. */
final class ParameterCount implements ParameterLayout {
  private long total;
  private long matmul;

  static ParameterCount of(ModelConfig c) {
    ParameterCount n = new ParameterCount();
    c.family().layout(c, n);
    return n;
  }

  long total() { return total; }
  long matmul() { return matmul; }

  @Override public void embedding(String name, double std, long rows, long cols) { total += rows * cols; }

  @Override public void weight(String name, boolean residual, long rows, long cols) {
    total += rows * cols;
    matmul += rows * cols;
  }

  @Override public void ones(String name, long size) { total += size; }

  @Override public void zeros(String name, long size) { total += size; }
}
