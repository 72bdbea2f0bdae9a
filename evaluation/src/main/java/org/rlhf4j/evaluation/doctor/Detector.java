package org.rlhf4j.evaluation.doctor;

import java.util.Map;

/** Watches one pathology; fed every step's metrics, it answers a flag the first time it sees the problem. */
interface Detector {
  FlagKind kind();

  /** Examines one step's metrics (any subset of names); returns a flag when the pathology is present, else null. */
  Flag observe(long step, Map<String, Double> metrics);
}
