/**
 * Labels from human (or simulated) raters — pairwise, ranking and Likert — and rater-quality statistics
 * ({@link org.rlhf4j.data.label.LabelStats}); {@link org.rlhf4j.data.label.LabelTables} turns labels into
 * {@link org.rlhf4j.data.agreement.Ratings} tables for the agreement statistics.
 */
package org.rlhf4j.data.label;
