/**
 * Reports: {@link org.rlhf4j.evaluation.report.Report} (report.html + PNG charts drawn with XChart, every text
 * escaped), ready-made {@link org.rlhf4j.evaluation.report.Charts} and {@link org.rlhf4j.evaluation.report.Tables},
 * and {@link org.rlhf4j.evaluation.report.SummaryJson} (summary.json with sorted keys).
 */
package org.rlhf4j.evaluation.report;
