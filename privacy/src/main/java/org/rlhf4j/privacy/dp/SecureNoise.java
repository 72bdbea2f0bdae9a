package org.rlhf4j.privacy.dp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Exact samplers of the discrete Laplace and discrete Gaussian distributions on the integers, using only integer
 * arithmetic on uniform random bits: Canonne, Kamath &amp; Steinke, "The Discrete Gaussian for Differential Privacy"
 * (NeurIPS 2020), Algorithms 1 (Bernoulli(exp(-γ)) for rational γ), 2 (discrete Laplace) and 3 (discrete Gaussian).
 * No floating-point number is involved, so the outputs have exactly the distributions the privacy proofs assume:
 * the attack of Mironov ("On significance of the least significant bits for differential privacy", CCS 2012) on
 * textbook floating-point Laplace noise, which reads the input off the gaps in the set of reachable doubles, has
 * nothing to read. Parameters are exact rationals (a double converts to one exactly, see {@link Rational}).
 *
 * <p>The default source is {@link SecureRandom}; tests pass a seeded generator.
 */
public final class SecureNoise {
  private final RandomGenerator random;

  public SecureNoise(RandomGenerator random) {
    if (random == null) throw new IllegalArgumentException("SecureNoise.random must not be null");
    this.random = random;
  }

  /** Noise from a {@link SecureRandom} (the operating system's entropy). */
  public static SecureNoise secure() { return new SecureNoise(new SecureRandom()); }

  /** Uniform in [0, n), by rejection on bitLength(n) random bits. */
  BigInteger uniform(BigInteger n) {
    if (n.signum() <= 0) throw new IllegalArgumentException("uniform bound must be positive, got " + n);
    int bits = n.bitLength();
    while (true) {
      BigInteger x = randomBits(bits);
      if (x.compareTo(n) < 0) return x;
    }
  }

  private BigInteger randomBits(int bits) {
    byte[] b = new byte[(bits + 7) / 8];
    random.nextBytes(b);
    int excess = b.length * 8 - bits;
    b[0] &= (byte) (0xFF >>> excess);
    return new BigInteger(1, b);
  }

  /**
   * Bernoulli(p) for a real p (randomised response): the output is one bit, so the floating-point attack has no
   * gaps to read; p is used to the double's precision (a relative error of 2^-53 in the probability).
   */
  public boolean bernoulli(double p) {
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
    return random.nextDouble() < p;
  }

  /** Bernoulli(num/den), 0 <= num <= den. */
  boolean bernoulli(BigInteger num, BigInteger den) { return uniform(den).compareTo(num) < 0; }

  /** Bernoulli(exp(-γ)) for rational γ = num/den >= 0 (CKS Algorithm 1). */
  boolean bernoulliExp(BigInteger num, BigInteger den) {
    BigInteger n = num;
    while (n.compareTo(den) > 0) { // exp(-γ) = exp(-1)^floor(γ) · exp(-(γ - floor(γ)))
      if (!bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE)) return false;
      n = n.subtract(den);
    }
    return bernoulliExpAtMostOne(n, den);
  }

  /** γ in [0, 1]: count K until Bernoulli(γ/K) fails; exp(-γ) is the probability that K is odd. */
  private boolean bernoulliExpAtMostOne(BigInteger num, BigInteger den) {
    long k = 1;
    while (bernoulli(num, den.multiply(BigInteger.valueOf(k)))) k++;
    return (k & 1) == 1;
  }

  /** Discrete Laplace with scale t/s: P(z) ∝ exp(-|z| s / t) (CKS Algorithm 2). */
  public long discreteLaplace(Rational scale) {
    BigInteger t = scale.num();
    BigInteger s = scale.den();
    while (true) {
      BigInteger u = uniform(t);
      if (!bernoulliExp(u, t)) continue;
      long v = 0;
      while (bernoulliExp(BigInteger.ONE, BigInteger.ONE)) v++;
      BigInteger x = u.add(t.multiply(BigInteger.valueOf(v)));
      BigInteger y = x.divide(s);
      boolean negative = random.nextBoolean();
      if (negative && y.signum() == 0) continue;
      return negative ? -y.longValueExact() : y.longValueExact();
    }
  }

  /** Discrete Gaussian N_Z(0, σ²): P(z) ∝ exp(-z²/(2σ²)) (CKS Algorithm 3). */
  public long discreteGaussian(Rational sigmaSquared) {
    BigInteger n = sigmaSquared.num();
    BigInteger d = sigmaSquared.den();
    BigInteger t = n.divide(d).sqrt().add(BigInteger.ONE); // floor(σ) + 1 (any positive integer works; this is fastest)
    Rational lap = new Rational(t, BigInteger.ONE);
    BigInteger twoNtt = BigInteger.TWO.multiply(n).multiply(t).multiply(t).multiply(d);
    while (true) {
      long y = discreteLaplace(lap);
      // γ = (|y| - σ²/t)² / (2σ²) = (|y|·t·d - n)² / (2·n·t²·d)
      BigInteger diff = BigInteger.valueOf(Math.abs(y)).multiply(t).multiply(d).subtract(n);
      if (bernoulliExp(diff.multiply(diff), twoNtt)) return y;
    }
  }
}
