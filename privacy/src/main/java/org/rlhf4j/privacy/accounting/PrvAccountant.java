package org.rlhf4j.privacy.accounting;

/**
 * The PRV accountant (Gopi, Lee & Wutschitz, NeurIPS 2021, "Numerical composition of differential privacy"), as
 * Opacus's {@code PRVAccountant} (after Microsoft's {@code prv_accountant}): the privacy loss random variable of one
 * Poisson-subsampled Gaussian step ({@link SubsampledGaussianPrv}, the paper's Propositions B1/B4) is truncated to a
 * safe domain [−L, L] (L from the RDP accountant, Remark 5.6), discretised on a mesh of
 * {@code epsError / sqrt(N log(12/δ_err) / 2)}, mean-corrected (the grid shifted so the discrete mean equals the
 * continuous one), composed N times by one FFT power, and ε read off the composed distribution:
 * δ(ε) = Σ_{t ≥ ε} p(t) (1 − e^{ε − t}). {@link #bounds} gives the paper's lower bound, estimate and upper bound
 * (ε at δ ± δ_err, ∓ epsError); {@link #epsilon} is the upper bound, what Opacus's {@code get_epsilon} returns.
 * Defaults as Opacus: epsError 0.01, δ_err = δ / 1000.
 */
public final class PrvAccountant implements Accountant {
  /** Largest grid this accountant builds (about 1.5 GB of working arrays at the limit). */
  public static final int MAX_GRID = 1 << 23;
  private static final double LONG_DOUBLE_EPS = 0x1p-63; // numpy's longdouble epsilon on x86, Opacus's round-off guard

  private final double epsError;
  private final double deltaErrorFraction;
  private final RdpAccountant rdp = RdpAccountant.opacus();

  /** @param deltaErrorFraction δ_err as a fraction of the target δ */
  public PrvAccountant(double epsError, double deltaErrorFraction) {
    if (!(epsError > 0) || Double.isInfinite(epsError)) throw new IllegalArgumentException("eps error must be positive, got " + epsError);
    if (!(deltaErrorFraction > 0 && deltaErrorFraction < 1)) {
      throw new IllegalArgumentException("delta error fraction must be in (0, 1), got " + deltaErrorFraction);
    }
    this.epsError = epsError;
    this.deltaErrorFraction = deltaErrorFraction;
  }

  /** Opacus's defaults: eps_error 0.01, delta_error = delta / 1000. */
  public static PrvAccountant opacus() { return new PrvAccountant(0.01, 1e-3); }

  @Override public String name() { return "prv"; }

  @Override public String description() {
    return "PRV (Gopi, Lee & Wutschitz 2021, as Opacus's prv): upper bound at eps error " + epsError + ", delta error "
        + deltaErrorFraction + " delta";
  }

  /** ε's lower bound, estimate and upper bound. */
  public record Bounds(double lower, double estimate, double upper) {}

  @Override public double epsilon(double noiseMultiplier, double sampleRate, long steps, double delta) {
    return bounds(noiseMultiplier, sampleRate, steps, delta).upper();
  }

  @Override public java.util.Map<String, Double> detail(double noiseMultiplier, double sampleRate, long steps, double delta) {
    Bounds b = bounds(noiseMultiplier, sampleRate, steps, delta);
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put("lower", b.lower());
    m.put("estimate", b.estimate());
    m.put("upper", b.upper());
    return m;
  }

  public Bounds bounds(double sigma, double q, long steps, double delta) {
    Accountant.check(sigma, q, steps, delta);
    if (steps == 0 || q == 0) return new Bounds(0, 0, 0);
    if (steps > Integer.MAX_VALUE) throw new IllegalArgumentException("steps must be below 2^31 for the PRV accountant, got " + steps);
    double deltaError = delta * deltaErrorFraction;
    double l = safeDomain(sigma, q, steps, deltaError);
    double mesh = epsError / Math.sqrt(steps * Math.log(12 / deltaError) / 2);
    Grid g = Grid.aligned(-l, l, mesh);
    if (LONG_DOUBLE_EPS * g.size() > delta - deltaError) {
      throw new IllegalArgumentException("delta " + delta + " is too small for a grid of " + g.size() + " points (round-off would dominate)");
    }
    SubsampledGaussianPrv prv = new SubsampledGaussianPrv(q, sigma);
    double[] pmf = discretise(prv, g);
    double shift = prv.truncatedMean(g.tMin(), g.tMax()) - discreteMean(pmf, g);
    if (Math.abs(shift) >= g.dt() / 2) throw new IllegalArgumentException("PRV: the discrete mean differs from the continuous one by " + shift + " (more than half a cell)");
    double[] composed = selfCompose(pmf, (int) steps);
    double tMin = g.tMin() + steps * shift;
    double upper = epsilonAt(composed, tMin, g.dt(), delta - deltaError) + epsError;
    double lower = epsilonAt(composed, tMin, g.dt(), delta + deltaError) - epsError;
    return new Bounds(lower, epsilonAt(composed, tMin, g.dt(), delta), upper);
  }

  /** Remark 5.6: L = max(ε_RDP(N steps, δ_err/4), ε_RDP(one step, δ_err/(8N)), epsError) + 3. */
  private double safeDomain(double sigma, double q, long steps, double deltaError) {
    double l = rdp.epsilon(sigma, q, steps, deltaError / 4);
    l = Math.max(l, rdp.epsilon(sigma, q, 1, deltaError / (8.0 * steps)));
    return Math.max(l, epsError) + 3;
  }

  /** An even number of points t_i = tMin + i dt, symmetric about 0 up to one extra point at the top (Opacus's Domain). */
  record Grid(double tMin, double tMax, int size) {
    static Grid aligned(double lo, double hi, double dt) {
      double tMin = Math.floor(lo / dt) * dt, tMax = Math.ceil(hi / dt) * dt;
      double n = Math.rint((tMax - tMin) / dt) + 1;
      if (n > MAX_GRID) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
            "the PRV grid would need %.3g points (limit %d): use the rdp accountant, fewer steps or a larger eps error", n, MAX_GRID));
      }
      int size = (int) n;
      if (size % 2 == 1) {
        size++;
        tMax += dt;
      }
      return new Grid(tMin, tMax, size);
    }

    double dt() { return (tMax - tMin) / (size - 1); }

    double t(int i) { return tMin + i * dt(); }
  }

  /** Mass of the truncated PRV in each cell [t_i − dt/2, t_i + dt/2) (cells past the ends hold nothing). */
  static double[] discretise(SubsampledGaussianPrv prv, Grid g) {
    double lo = prv.cdf(g.tMin()), mass = prv.cdf(g.tMax()) - lo, dt = g.dt();
    double[] pmf = new double[g.size()];
    double prev = 0; // the truncated cdf at the left edge of cell 0 (below tMin)
    for (int i = 0; i < g.size(); i++) {
      double edge = g.t(i) + dt / 2;
      double f = edge < g.tMin() ? 0 : edge < g.tMax() ? (prv.cdf(edge) - lo) / mass : 1;
      pmf[i] = f - prev;
      prev = f;
    }
    return pmf;
  }

  private static double discreteMean(double[] pmf, Grid g) {
    double m = 0;
    for (int i = 0; i < pmf.length; i++) m += g.t(i) * pmf[i];
    return m;
  }

  /**
   * The N-fold convolution of {@code pmf} with itself on the same grid (circular, as Opacus: the domain is wide
   * enough that wrapped mass is below δ_err): inverse FFT of FFT(pmf)^N, rolled so index i is again t_i (plus the
   * N-fold mean shift, added by the caller).
   */
  static double[] selfCompose(double[] pmf, int steps) {
    int m = pmf.length;
    if (steps == 1) return pmf.clone();
    double[] re = pmf.clone(), im = new double[m];
    Fft fft = new Fft(m);
    fft.transform(re, im, false);
    for (int k = 0; k < m; k++) {
      double r = Math.pow(Math.hypot(re[k], im[k]), steps), a = steps * Math.atan2(im[k], re[k]);
      re[k] = r * Math.cos(a);
      im[k] = r * Math.sin(a);
    }
    fft.transform(re, im, true);
    // The grid's zero sits at index m/2 − 1; a sum of N draws lands (N − 1)(m/2 − 1) cells too far right, mod m.
    int roll = (int) (((steps - 1L) + (steps % 2 == 0 ? m / 2 : 0)) % m);
    double[] out = new double[m];
    for (int i = 0; i < m; i++) out[(i + roll) % m] = re[i];
    return out;
  }

  /**
   * The smallest grid ε with δ(ε) ≤ {@code delta}, refined within its cell: ε = log((D1_i − δ) / D2_i) with
   * D1_i = Σ_{j ≥ i} p_j and D2_i = Σ_{j ≥ i} p_j e^{−t_j} (Opacus's compute_epsilon).
   */
  static double epsilonAt(double[] p, double tMin, double dt, double delta) {
    int m = p.length;
    double[] d1 = new double[m], d2 = new double[m];
    double s1 = 0, s2 = 0, c1 = 0, c2 = 0; // Kahan sums from the right
    for (int i = m - 1; i >= 0; i--) {
      double t = tMin + i * dt;
      double y1 = p[i] - c1, u1 = s1 + y1;
      c1 = (u1 - s1) - y1;
      s1 = u1;
      double y2 = p[i] * Math.exp(-t) - c2, u2 = s2 + y2;
      c2 = (u2 - s2) - y2;
      s2 = u2;
      d1[i] = s1;
      d2[i] = s2;
    }
    int lo = 0, hi = m; // first i with e^{t_i} D2_i − D1_i ≥ −δ (the sequence rises with i)
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Math.exp(tMin + mid * dt) * d2[mid] - d1[mid] < -delta) lo = mid + 1;
      else hi = mid;
    }
    if (lo <= 0 || lo >= m) throw new IllegalArgumentException("PRV: cannot compute epsilon for delta " + delta + " on this grid");
    return Math.log((d1[lo] - delta) / d2[lo]);
  }
}
