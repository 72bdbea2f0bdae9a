package org.rlhf4j.aifeedback.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Position-bias correction: asks the wrapped judge every comparison twice, as given and with the responses
 * swapped (in one batch), and combines the two answers ({@link Averaging}). {@link #compareBoth} also returns the
 * two raw answers, from which {@link PositionBias} measures how much the judge favours the first position.
 */
public final class BothOrders implements Judge {
  private final Judge inner;
  private final Averaging averaging;

  /** The two answers to one comparison and their combination. */
  public record Debiased(Comparison item, Verdict asked, Verdict swapped, double probabilityA) {
    /** P(A) when A was shown first. */
    public double firstOrder() { return asked.probabilityA(); }

    /** P(A) when A was shown second. */
    public double secondOrder() { return 1 - swapped.probabilityA(); }

    /** How much the first position gained on this item: (P(first | A,B) + P(first | B,A) - 1) / 2. */
    public double positionShift() { return (firstOrder() - secondOrder()) / 2; }

    /** True when the preferred response changed with the order (ties count as no preference). */
    public boolean flipped() { return Math.signum(firstOrder() - 0.5) != Math.signum(secondOrder() - 0.5); }

    /** The combined verdict; rationales of both orders are kept when the judge gave them. */
    public Verdict verdict() {
      String why = null;
      if (asked.hasRationale() || swapped.hasRationale()) {
        why = "[A first] " + Objects.toString(asked.rationale(), "") + "\n[B first] " + Objects.toString(swapped.rationale(), "");
      }
      return new Verdict(probabilityA, why, mean(asked.optionMass(), swapped.optionMass()));
    }
  }

  public BothOrders(Judge inner, Averaging averaging) {
    this.inner = Objects.requireNonNull(inner, "judge");
    this.averaging = Objects.requireNonNull(averaging, "averaging");
  }

  /** Probability averaging, as in the RLAIF paper (Lee et al. 2023). */
  public static BothOrders of(Judge inner) { return new BothOrders(inner, Averaging.PROBABILITY); }

  /** Both answers per comparison; the wrapped judge sees the n comparisons then the n swapped ones, in one call. */
  public List<Debiased> compareBoth(List<Comparison> items) {
    List<Comparison> both = new ArrayList<>(items);
    for (Comparison c : items) both.add(c.swapped());
    List<Verdict> v = inner.compare(both);
    if (v.size() != both.size()) {
      throw new JudgeException(inner.name() + " returned " + v.size() + " verdicts for " + both.size() + " comparisons");
    }
    List<Debiased> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Verdict asked = v.get(i), swapped = v.get(items.size() + i);
      out.add(new Debiased(items.get(i), asked, swapped, averaging.combine(asked.probabilityA(), 1 - swapped.probabilityA())));
    }
    return out;
  }

  @Override public List<Verdict> compare(List<Comparison> items) {
    return compareBoth(items).stream().map(Debiased::verdict).toList();
  }

  @Override public String name() { return inner.name() + " (both orders, " + averaging.name().toLowerCase() + " mean)"; }

  private static double mean(double a, double b) {
    if (Double.isNaN(a)) return b;
    return Double.isNaN(b) ? a : (a + b) / 2;
  }
}
