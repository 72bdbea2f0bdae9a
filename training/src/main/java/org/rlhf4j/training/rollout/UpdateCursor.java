package org.rlhf4j.training.rollout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.rlhf4j.training.loop.DataCursor;

/**
 * Where an on-policy run is: its position counts optimizer steps done, laid out as iterations
 * of {@code epochs} passes over {@code miniBatches} minibatches of a rollout batch. Everything
 * random is derived from (seed, iteration, epoch), so a run resumed at an iteration boundary
 * continues exactly.
 */
public final class UpdateCursor implements DataCursor {
  private final int epochs;
  private final int miniBatches;
  private final long seed;
  private long done;

  public UpdateCursor(int epochs, int miniBatches, long seed) {
    this.epochs = epochs;
    this.miniBatches = miniBatches;
    this.seed = seed;
  }

  public int updatesPerIteration() { return epochs * miniBatches; }

  /** The iteration the next update belongs to. */
  public int iteration() { return (int) (done / updatesPerIteration()); }

  /** Whether the next update starts an iteration (a new rollout is due). */
  public boolean atIterationStart() { return done % updatesPerIteration() == 0; }

  /** Whether the next update is the last of its iteration. */
  public boolean atIterationEnd() { return done % updatesPerIteration() == updatesPerIteration() - 1; }

  /** Rows of the next update's minibatch among {@code rows} rollout rows (a seeded permutation per epoch). */
  public List<Integer> miniBatchRows(int rows) {
    int within = (int) (done % updatesPerIteration());
    int epoch = within / miniBatches, mb = within % miniBatches;
    List<Integer> perm = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) perm.add(i);
    Collections.shuffle(perm, new Random(seed * 31 + iteration() * 1_000_003L + epoch));
    int size = rows / miniBatches;
    return perm.subList(mb * size, (mb + 1) * size);
  }

  /** Seed of an iteration's sampling. */
  public long samplingSeed() { return seed * 7919 + iteration(); }

  /** Marks the current update done. */
  public void advance() { done++; }

  @Override public long position() { return done; }

  @Override public void seek(long position) { done = position; }
}
