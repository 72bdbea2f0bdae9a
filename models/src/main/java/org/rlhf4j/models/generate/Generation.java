package org.rlhf4j.models.generate;

/**
 * Output of a batched generation, one row per prompt.
 *
 * @param outputIds new tokens only, ending with the stop token when one was produced
 * @param logprobs  log-probability of each new token under the sampling distribution (after temperature, before top-k/top-p)
 * @param finished  whether the row stopped at a stop token
 */
public record Generation(long[][] promptIds, long[][] outputIds, float[][] logprobs, boolean[] finished) {}
