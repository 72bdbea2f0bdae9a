package org.rlhf4j.training.loop;

import java.util.Map;

/** Numbers of one finished optimizer step. */
record StepStats(int step, double loss, double lr, double gradNorm, long tokens, Map<String, Double> metrics,
    double seconds) {}
