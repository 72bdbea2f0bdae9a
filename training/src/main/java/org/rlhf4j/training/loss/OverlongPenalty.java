package org.rlhf4j.training.loss;

/**
 * DAPO's soft overlong punishment (Yu et al. 2025, eq. 13; TRL's
 * {@code get_soft_overlong_punishment}): a length-aware reward added to the score, 0 up to
 * maxLength - cacheLength tokens, then falling linearly to -1 at maxLength, and -1 beyond.
 *
 * @param maxLength   the completion budget L_max (the sampler's max new tokens)
 * @param cacheLength the soft punishment interval L_cache, 1 .. maxLength
 */
public record OverlongPenalty(int maxLength, int cacheLength) {
  public OverlongPenalty {
    if (maxLength < 1) throw new IllegalArgumentException("overlong maxLength must be >= 1, got " + maxLength);
    if (cacheLength < 1 || cacheLength > maxLength) {
      throw new IllegalArgumentException("overlong cacheLength must be in [1, " + maxLength + "], got " + cacheLength);
    }
  }

  /** The penalty (in [-1, 0]) for a completion of {@code length} tokens. */
  public double of(int length) {
    int free = maxLength - cacheLength;
    if (length <= free) return 0;
    if (length <= maxLength) return (double) (free - length) / cacheLength;
    return -1;
  }
}
