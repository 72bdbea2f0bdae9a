package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Several judges combined per comparison: the mean of their probabilities, or a majority vote. */
public final class EnsembleJudge implements Judge {
  /** How the members' answers become one probability. */
  public enum Vote {
    /** The mean of the members' P(A). */
    MEAN {
      @Override double combine(double[] p) {
        double s = 0;
        for (double x : p) s += x;
        return s / p.length;
      }
    },
    /** The share of members preferring A (a member at exactly 0.5 counts half). */
    MAJORITY {
      @Override double combine(double[] p) {
        double votes = 0;
        for (double x : p) votes += x > 0.5 ? 1 : x < 0.5 ? 0 : 0.5;
        return votes / p.length;
      }
    };

    abstract double combine(double[] probabilities);
  }

  private final List<Judge> members;
  private final Vote vote;

  public EnsembleJudge(List<Judge> members, Vote vote) {
    if (members == null || members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one judge");
    this.members = List.copyOf(members);
    this.vote = java.util.Objects.requireNonNull(vote, "vote");
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    List<List<Verdict>> answers = new ArrayList<>();
    for (Judge j : members) answers.add(j.compare(items));
    List<Verdict> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      double[] p = new double[members.size()];
      List<String> why = new ArrayList<>();
      for (int m = 0; m < members.size(); m++) {
        Verdict v = answers.get(m).get(i);
        p[m] = v.probabilityA();
        if (v.hasRationale()) why.add(members.get(m).name() + ": " + v.rationale());
      }
      out.add(new Verdict(vote.combine(p), why.isEmpty() ? null : String.join("\n", why), Double.NaN));
    }
    return out;
  }

  @Override public String name() {
    return vote.name().toLowerCase() + "(" + members.stream().map(Judge::name).collect(Collectors.joining(", ")) + ")";
  }
}
