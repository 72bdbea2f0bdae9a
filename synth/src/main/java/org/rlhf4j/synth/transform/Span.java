package org.rlhf4j.synth.transform;

/** A run of {@code width} output columns under one activation: tanh for a scalar, softmax for a one-hot group. */
public record Span(int width, Activation activation) {
  public enum Activation { TANH, SOFTMAX }

  public Span {
    if (width < 1) throw new IllegalArgumentException("a span needs width >= 1, got " + width);
    if (activation == Activation.TANH && width != 1) throw new IllegalArgumentException("a tanh span has width 1, got " + width);
  }
}
