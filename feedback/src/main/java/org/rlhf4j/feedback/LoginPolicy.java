package org.rlhf4j.feedback;

/**
 * How failed logins are throttled. After {@code accountFailures} failures for one username, or
 * {@code addressFailures} from one client address, each further attempt must wait {@code baseDelayMillis},
 * doubling with every further failure up to {@code maxDelayMillis}; a login that succeeds clears its account's
 * count. Counts are forgotten {@code forgetMillis} after the last attempt.
 */
public record LoginPolicy(int accountFailures, int addressFailures, long baseDelayMillis, long maxDelayMillis, long forgetMillis) {
  public LoginPolicy {
    if (accountFailures < 1) throw new IllegalArgumentException("LoginPolicy.accountFailures must be at least 1 but was " + accountFailures);
    if (addressFailures < accountFailures) {
      throw new IllegalArgumentException("LoginPolicy.addressFailures must be at least accountFailures (" + accountFailures + ") but was " + addressFailures);
    }
    if (baseDelayMillis < 1) throw new IllegalArgumentException("LoginPolicy.baseDelayMillis must be positive but was " + baseDelayMillis);
    if (maxDelayMillis < baseDelayMillis) throw new IllegalArgumentException("LoginPolicy.maxDelayMillis must be >= baseDelayMillis");
    if (forgetMillis < maxDelayMillis) throw new IllegalArgumentException("LoginPolicy.forgetMillis must be >= maxDelayMillis");
  }

  /** 5 failures per account, 20 per address, then 1 s doubling up to 15 min; forgotten after an hour. */
  public static LoginPolicy defaults() { return new LoginPolicy(5, 20, 1000, 15 * 60_000L, 3600_000L); }

  /** The wait after {@code failures} failures when {@code free} are allowed: 0 below free, then base, 2 base, 4 base, ... up to max. */
  long delayAfter(int failures, int free) {
    if (failures < free) return 0;
    long delay = baseDelayMillis;
    for (int i = free; i < failures && delay < maxDelayMillis; i++) delay *= 2;
    return Math.min(delay, maxDelayMillis);
  }
}
