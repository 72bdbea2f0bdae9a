package org.rlhf4j.training.loop;

import java.util.Random;
import org.bytedeco.pytorch.Tensor;

/**
 * A seeded infinite regression stream: example i is drawn from Random(seed, i), target
 * y = sum(sin(x)). Its position is the number of examples consumed.
 */
final class ToyData implements DataCursor {
  record Batch(Tensor x, Tensor y) {}

  private final int dim;
  private final long seed;
  private long position;

  ToyData(int dim, long seed) {
    this.dim = dim;
    this.seed = seed;
  }

  /** The next {@code n} examples: x (n, dim), y (n, 1). */
  Batch next(int n) {
    float[] x = new float[n * dim];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      Random r = new Random(seed * 1_000_003L + position + i);
      for (int j = 0; j < dim; j++) {
        x[i * dim + j] = (float) r.nextGaussian();
        y[i] += (float) Math.sin(x[i * dim + j]);
      }
    }
    position += n;
    return new Batch(ToyMlp.fromFloats(x, n, dim), ToyMlp.fromFloats(y, n, 1));
  }

  @Override public long position() { return position; }

  @Override public void seek(long p) { position = p; }
}
