/**
 * Evaluation statistics from plain per-prompt numbers (no model code): {@link org.rlhf4j.evaluation.WinRates}
 * (win rate with ties counted half, Wilson or bootstrap 95% interval),
 * {@link org.rlhf4j.evaluation.LengthControlledWinRate} (AlpacaEval-2.0-style: predicted win probability at zero
 * length difference from a logistic fit), {@link org.rlhf4j.evaluation.EvalSummary} (mean/std of gold and proxy
 * reward, KL and length; per-family rates of flags such as correct / refused / admitted_unknown / hallucinated),
 * {@link org.rlhf4j.evaluation.Repetition} (repeated n-gram fraction). Sub-packages: {@code doctor} (diagnoses a
 * run from its metrics) and {@code report} (HTML + PNG report, summary.json).
 */
package org.rlhf4j.evaluation;
