package org.rlhf4j.privacy.dp;

import java.math.BigDecimal;
import java.math.BigInteger;

/** A positive exact rational num/den: noise parameters handed to {@link SecureNoise}'s integer-only samplers. */
public record Rational(BigInteger num, BigInteger den) {
  public Rational {
    if (num == null || den == null || num.signum() <= 0 || den.signum() <= 0) {
      throw new IllegalArgumentException("Rational must be positive, got " + num + "/" + den);
    }
    BigInteger g = num.gcd(den);
    num = num.divide(g);
    den = den.divide(g);
  }

  /** The exact value of a positive finite double (every double is m·2^e). */
  public static Rational of(double x) {
    if (!(x > 0) || Double.isInfinite(x)) throw new IllegalArgumentException("expected a positive finite number, got " + x);
    BigDecimal b = new BigDecimal(x); // exact
    BigInteger unscaled = b.unscaledValue();
    int scale = b.scale();
    return scale >= 0 ? new Rational(unscaled, BigInteger.TEN.pow(scale)) : new Rational(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE);
  }

  public double doubleValue() { return new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL64).doubleValue(); }
}
