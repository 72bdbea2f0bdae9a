/**
 * Reward models: {@link org.rlhf4j.training.reward.RewardModel} (causal-LM backbone + score head on the
 * last real token, saved as Hugging Face {@code *ForSequenceClassification} with {@code num_labels: 1}) and
 * {@link org.rlhf4j.training.reward.RewardTrainer} (Bradley-Terry loss with optional margin, label smoothing,
 * soft targets and reward centering; K-way rankings expanded to all K(K-1)/2 pairs within one batch).
 */
package org.rlhf4j.training.reward;
