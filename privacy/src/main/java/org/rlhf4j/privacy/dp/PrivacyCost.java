package org.rlhf4j.privacy.dp;

/** An (ε, δ) privacy guarantee / cost; δ = 0 is pure ε-DP. */
public record PrivacyCost(double epsilon, double delta) {
  public PrivacyCost {
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    if (!(delta >= 0 && delta < 1)) throw new IllegalArgumentException("delta must be in [0, 1), got " + delta);
  }

  public static PrivacyCost pure(double epsilon) { return new PrivacyCost(epsilon, 0); }

  /** Basic sequential composition: ε and δ add. */
  public PrivacyCost plus(PrivacyCost o) { return new PrivacyCost(epsilon + o.epsilon, Math.min(delta + o.delta, Math.nextDown(1.0))); }

  /** "ε = 0.5" or "ε = 1, δ = 1e-05" for figures and errors. */
  public String display() {
    return delta == 0 ? "ε = " + fmt(epsilon) : "ε = " + fmt(epsilon) + ", δ = " + delta;
  }

  private static String fmt(double v) { return String.format(java.util.Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", ""); }
}
