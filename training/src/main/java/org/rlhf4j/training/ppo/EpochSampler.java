package org.rlhf4j.training.ppo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.rlhf4j.training.loop.DataCursor;

/**
 * Draws batches of indices from {@code 0..size-1}: a fresh seeded shuffle each epoch, batches
 * may span epochs. Its position (batches drawn) is saved in checkpoints, so a resumed run draws
 * exactly the batches it would have drawn.
 */
public final class EpochSampler implements DataCursor {
  private final int size;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private long drawn;

  public EpochSampler(int size, int batchSize, long seed, boolean shuffle) {
    if (size < 1) throw new IllegalArgumentException("no examples to sample from");
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    this.size = size;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
  }

  /** The next batch of indices. */
  public List<Integer> next() {
    List<Integer> out = new ArrayList<>(batchSize);
    long start = drawn * batchSize;
    for (long i = start; i < start + batchSize; i++) out.add(order(i / size).get((int) (i % size)));
    drawn++;
    return out;
  }

  private List<Integer> cachedOrder;
  private long cachedEpoch = -1;

  private List<Integer> order(long epoch) {
    if (epoch != cachedEpoch) {
      List<Integer> o = new ArrayList<>(size);
      for (int i = 0; i < size; i++) o.add(i);
      if (shuffle) Collections.shuffle(o, new Random(seed * 1_000_003L + epoch));
      cachedOrder = o;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }

  @Override public long position() { return drawn; }

  @Override public void seek(long position) {
    if (position < 0) throw new IllegalArgumentException("sampler position must be >= 0, got " + position);
    drawn = position;
  }
}
