/**
 * Training data records, pure Java (no libtorch): {@link org.rlhf4j.data.Content} (plain
 * {@link org.rlhf4j.data.Text} or a {@link org.rlhf4j.data.Chat} of {@link org.rlhf4j.data.Message}s),
 * {@link org.rlhf4j.data.PromptCompletion} (SFT), {@link org.rlhf4j.data.PreferencePair} (hard or soft
 * label), {@link org.rlhf4j.data.Ranking} (K-way, expands to pairs) and {@link org.rlhf4j.data.UnpairedExample}
 * (KTO). Files: {@code org.rlhf4j.data.format.DataFiles}; rater labels: {@code org.rlhf4j.data.label};
 * agreement statistics: {@code org.rlhf4j.data.agreement}.
 */
package org.rlhf4j.data;
