package org.rlhf4j.privacy.accounting;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/** Log-space arithmetic for the accountants. */
final class LogMath {
  private LogMath() {}

  /** log(e^a + e^b). */
  static double add(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) return b;
    if (b == Double.NEGATIVE_INFINITY) return a;
    double m = Math.max(a, b);
    return m + Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  /** log(e^a − e^b), a >= b. */
  static double sub(double a, double b) {
    if (b == Double.NEGATIVE_INFINITY) return a;
    if (a < b) throw new ArithmeticException("log of a negative number: log(e^" + a + " - e^" + b + ")");
    if (a == b) return Double.NEGATIVE_INFINITY;
    return a + Math.log1p(-Math.exp(b - a));
  }

  /** log erfc(x), with the asymptotic series where erfc underflows (x > 25). */
  static double logErfc(double x) {
    if (x < 25) return Math.log(Erf.erfc(x));
    double x2 = x * x;
    return -x2 - Math.log(x) - 0.5 * Math.log(Math.PI) + Math.log1p(-1 / (2 * x2) + 3 / (4 * x2 * x2) - 15 / (8 * x2 * x2 * x2));
  }

  static double logGamma(double x) { return Gamma.logGamma(x); }
}
