/**
 * The run doctor: {@link org.rlhf4j.evaluation.doctor.RunDoctor} watches any PPO / DPO / RLOO / GRPO run through
 * its {@code metrics.jsonl} (or live, one metrics map per step) and raises
 * {@link org.rlhf4j.evaluation.doctor.Flag}s with plain-English explanations. Accepted metric names are listed in
 * {@link org.rlhf4j.evaluation.doctor.MetricNames}; thresholds in {@link org.rlhf4j.evaluation.doctor.DoctorConfig};
 * {@link org.rlhf4j.evaluation.doctor.MetricsLog} reads a metrics file into columns for charts.
 */
package org.rlhf4j.evaluation.doctor;
