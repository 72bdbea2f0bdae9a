package org.rlhf4j.training.pretrain;

/**
 * Pre-training data options.
 *
 * @param seqLength block length in tokens (documents are packed into blocks of exactly this size)
 * @param batchSize blocks per micro-batch
 */
public record PretrainOptions(int seqLength, int batchSize) {
  public PretrainOptions {
    if (seqLength < 2) throw new IllegalArgumentException("PretrainOptions: seqLength must be >= 2, got " + seqLength);
    if (batchSize < 1) throw new IllegalArgumentException("PretrainOptions: batchSize must be >= 1, got " + batchSize);
  }
}
