/**
 * Simulated human raters for the demo: a {@link org.rlhf4j.demo.raters.RaterPool} of
 * {@link org.rlhf4j.demo.raters.RaterProfile annotators} who compare two responses by the world's gold reward,
 * perturbed by label flips, length and position biases, and a few near-random raters, writing
 * {@link org.rlhf4j.data.label.PairwiseLabel}s. Pure Java.
 */
package org.rlhf4j.demo.raters;
