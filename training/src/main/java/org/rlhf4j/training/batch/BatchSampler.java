package org.rlhf4j.training.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlhf4j.training.loop.DataCursor;

/**
 * Draws batches of indices into a dataset of {@code size} items: each epoch is a fresh seeded
 * permutation, batches run on across epoch boundaries. The position (batches drawn) is the
 * {@link DataCursor} the trainer checkpoints; seeking reproduces exactly the same next batch.
 * The one sampler of every trainer: supervised batches ({@link #BatchSampler(int, int, long, boolean)}: at most
 * the whole dataset per batch) and on-policy prompt batches and preference pairs ({@link #filling}: always
 * {@code batchSize} items, running into the next epoch when the dataset is smaller).
 */
public final class BatchSampler implements DataCursor {
  private final int size;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final boolean fill;
  private final int[] lengths;          // null, or each item's length for length-grouped batches
  private final boolean shuffleBatches; // length-grouped batches drawn in a seeded random order over the epoch
  private long drawn;
  private int rank = 0, ranks = 1;
  private long cachedEpoch = -1;
  private int[] perm;

  public BatchSampler(int size, int batchSize, long seed, boolean shuffle) {
    this(size, batchSize, seed, shuffle, false, null);
  }

  /** Batches drawn per mega-batch that {@link #groupedByLength} sorts by length. */
  static final int GROUP_BATCHES = 50;

  /**
   * Shuffled batches of items of similar length (transformers' {@code group_by_length}): each epoch's permutation is
   * cut into mega-batches of {@value #GROUP_BATCHES} batches, each sorted by {@code lengths} (longest or shortest
   * first, by a seeded coin), so a batch pads to little more than its own items. Same epochs, cursor and resume as
   * the plain shuffled sampler.
   */
  public static BatchSampler groupedByLength(int[] lengths, int batchSize, long seed) {
    return new BatchSampler(lengths.length, batchSize, seed, true, false, lengths.clone());
  }

  /**
   * Batches of items of similar length in random order (length buckets, as fairseq and ESPnet batch): the batches of
   * {@link #groupedByLength}, then the epoch's whole batches drawn in a seeded random order. A batch pads as little as a
   * grouped one, but the order no longer runs from the longest items to the shortest over {@value #GROUP_BATCHES}
   * batches: where length marks a kind of item (a corpus's long judging documents, its short conversations), training
   * does not see one kind for dozens of steps in a row.
   */
  public static BatchSampler bucketedByLength(int[] lengths, int batchSize, long seed) {
    return new BatchSampler(lengths.length, batchSize, seed, true, false, lengths.clone(), true);
  }

  /** Shuffled batches of exactly {@code batchSize} items, spanning epochs when the dataset is smaller. */
  public static BatchSampler filling(int size, int batchSize, long seed) {
    return new BatchSampler(size, batchSize, seed, true, true, null);
  }

  private BatchSampler(int size, int batchSize, long seed, boolean shuffle, boolean fill, int[] lengths) {
    this(size, batchSize, seed, shuffle, fill, lengths, false);
  }

  private BatchSampler(int size, int batchSize, long seed, boolean shuffle, boolean fill, int[] lengths, boolean shuffleBatches) {
    if (size < 1) throw new IllegalArgumentException("BatchSampler: the dataset is empty");
    if (batchSize < 1) throw new IllegalArgumentException("BatchSampler: batchSize must be >= 1, got " + batchSize);
    this.size = size;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    this.fill = fill;
    this.lengths = lengths;
    this.shuffleBatches = shuffleBatches;
  }

  /**
   * Data-parallel sharding: from now on {@link #next} returns rank {@code rank}'s contiguous share of each global
   * batch ({@code batchSize / ranks} items; every rank draws the same global batches, so positions and resume stay
   * rank-consistent). The global batch must divide evenly: an error names {@code batch_size}.
   */
  public BatchSampler shard(int rank, int ranks) {
    if (ranks < 1 || rank < 0 || rank >= ranks) throw new IllegalArgumentException("BatchSampler.shard: rank " + rank + " of " + ranks);
    if (perBatch() % ranks != 0) {
      throw new IllegalArgumentException("batch_size " + perBatch() + " (per optimizer micro-batch, all ranks together) does not divide "
          + "into " + ranks + " data-parallel ranks");
    }
    this.rank = rank;
    this.ranks = ranks;
    return this;
  }

  /** {@link #shard} by the process's data-parallel group ({@code runtime.Distributed}), when it joined one. */
  public BatchSampler shardForThisRank() {
    org.rlhf4j.runtime.Distributed.current().ifPresent(d -> shard(d.rank(), d.worldSize()));
    return this;
  }

  /** The next batch's item indices ({@code batchSize} of them, or the whole dataset when smaller and not filling; a shard's share of them). */
  public List<Integer> next() {
    int n = perBatch();
    int share = n / ranks;
    List<Integer> out = new ArrayList<>(share);
    long first = drawn * n + (long) rank * share;
    for (int i = 0; i < share; i++) out.add(item(first + i));
    drawn++;
    return out;
  }

  /** Batches drawn so far. */
  @Override public long position() { return drawn; }

  @Override public void seek(long position) {
    if (position < 0) throw new IllegalArgumentException("BatchSampler: negative position " + position);
    drawn = position;
  }

  /** Epochs begun so far (fractional). */
  public double epoch() { return (double) drawn * perBatch() / size; }

  private int perBatch() { return fill ? batchSize : Math.min(batchSize, size); }

  private int item(long k) {
    long epoch = k / size;
    int within = (int) (k % size);
    if (!shuffle) return within;
    if (epoch != cachedEpoch) {
      perm = permutation(new Random(seed * 1_000_003L + epoch));
      cachedEpoch = epoch;
    }
    return perm[within];
  }

  private int[] permutation(Random rnd) {
    int[] p = new int[size];
    for (int i = 0; i < size; i++) p[i] = i;
    for (int i = size - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i]; p[i] = p[j]; p[j] = t;
    }
    if (lengths == null) return p;
    grouped(p, rnd);
    return shuffleBatches ? batchesShuffled(p, rnd) : p;
  }

  /** The permutation's whole batches in a seeded random order (a last partial batch stays last). */
  private int[] batchesShuffled(int[] p, Random rnd) {
    int n = perBatch(), whole = p.length / n;
    int[] order = new int[whole];
    for (int i = 0; i < whole; i++) order[i] = i;
    for (int i = whole - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i]; order[i] = order[j]; order[j] = t;
    }
    int[] out = p.clone();
    for (int b = 0; b < whole; b++) System.arraycopy(p, order[b] * n, out, b * n, n);
    return out;
  }

  /** Sorts each mega-batch of the permutation by length, in a seeded direction. */
  private int[] grouped(int[] p, Random rnd) {
    int mega = GROUP_BATCHES * perBatch();
    for (int start = 0; start < p.length; start += mega) {
      int end = Math.min(p.length, start + mega);
      boolean longestFirst = rnd.nextBoolean();
      Integer[] chunk = new Integer[end - start];
      for (int i = start; i < end; i++) chunk[i - start] = p[i];
      java.util.Arrays.sort(chunk, (a, b) -> longestFirst ? Integer.compare(lengths[b], lengths[a]) : Integer.compare(lengths[a], lengths[b]));
      for (int i = start; i < end; i++) p[i] = chunk[i - start];
    }
    return p;
  }
}
