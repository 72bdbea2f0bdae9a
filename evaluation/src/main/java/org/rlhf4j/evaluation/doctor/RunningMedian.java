package org.rlhf4j.evaluation.doctor;

import java.util.Collections;
import java.util.PriorityQueue;

/** Median of a growing multiset in O(log n) per insertion (two heaps). */
final class RunningMedian {
  private final PriorityQueue<Double> low = new PriorityQueue<>(Collections.reverseOrder());
  private final PriorityQueue<Double> high = new PriorityQueue<>();

  void add(double x) {
    if (low.isEmpty() || x <= low.peek()) low.add(x);
    else high.add(x);
    if (low.size() > high.size() + 1) high.add(low.poll());
    else if (high.size() > low.size()) low.add(high.poll());
  }

  int size() {
    return low.size() + high.size();
  }

  double median() {
    if (size() == 0) throw new IllegalStateException("median of nothing");
    return low.size() > high.size() ? low.peek() : 0.5 * (low.peek() + high.peek());
  }
}
