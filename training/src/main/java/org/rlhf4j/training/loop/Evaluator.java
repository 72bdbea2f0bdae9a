package org.rlhf4j.training.loop;

import java.util.Map;

/** Periodic evaluation; the {@link Trainer} calls it under no-grad inside a native scope. */
@FunctionalInterface
public interface Evaluator {
  Map<String, Double> evaluate();
}
