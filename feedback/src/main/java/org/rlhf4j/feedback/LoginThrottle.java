package org.rlhf4j.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.TooManyRequestsResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed-login throttling per account and per client address, with exponential backoff ({@link LoginPolicy}).
 * An attempt is counted as a failure before the password is checked, so that concurrent guesses cannot all pass
 * the check; a successful login then takes it back. While an account or address must wait, every attempt is
 * answered 429 without checking the password (even a right one), so waiting cannot be skipped by guessing on.
 * Counts live in memory (bounded, expiring), per server process.
 */
final class LoginThrottle {
  /** One counted attempt; pass it back to {@link #succeeded} when the password was right. */
  record Attempt(String account, String address) {}

  private static final class Counter {
    int failures;
    long waitUntil;
  }

  private final LoginPolicy policy;
  private final LongSupplier clock;
  private final Cache<String, Counter> accounts;
  private final Cache<String, Counter> addresses;

  LoginThrottle(LoginPolicy policy, LongSupplier clock) {
    this.policy = policy;
    this.clock = clock;
    this.accounts = cache(policy, clock);
    this.addresses = cache(policy, clock);
  }

  private static Cache<String, Counter> cache(LoginPolicy policy, LongSupplier clock) {
    return Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMillis(policy.forgetMillis()))
        .ticker(() -> clock.getAsLong() * 1_000_000L).build();
  }

  /** Counts an attempt for this username from this address, or answers 429 (with Retry-After) when either must wait. */
  Attempt begin(String username, String address) {
    String account = username.toLowerCase(Locale.ROOT);
    Counter a = accounts.get(account, k -> new Counter());
    Counter ip = addresses.get(address, k -> new Counter());
    long now = clock.getAsLong();
    synchronized (a) {
      synchronized (ip) {
        long wait = Math.max(a.waitUntil, ip.waitUntil) - now;
        if (wait > 0) {
          String who = a.waitUntil >= ip.waitUntil ? "for this account" : "from this address";
          long seconds = (wait + 999) / 1000;
          throw new TooManyRequestsResponse("too many failed logins " + who + ": try again in " + seconds + " s",
              Map.of("retryAfterSeconds", Long.toString(seconds)));
        }
        fail(a, now, policy.accountFailures());
        fail(ip, now, policy.addressFailures());
      }
    }
    return new Attempt(account, address);
  }

  /** The password was right: the account's count is cleared and the address's attempt taken back. */
  void succeeded(Attempt attempt) {
    accounts.invalidate(attempt.account());
    takeBack(addresses.getIfPresent(attempt.address()), policy.addressFailures());
  }

  /** The password could not be checked (server busy): the attempt is taken back from both counts. */
  void abandoned(Attempt attempt) {
    takeBack(accounts.getIfPresent(attempt.account()), policy.accountFailures());
    takeBack(addresses.getIfPresent(attempt.address()), policy.addressFailures());
  }

  private static void takeBack(Counter c, int free) {
    if (c == null) return;
    synchronized (c) {
      if (c.failures > 0) c.failures--;
      if (c.failures < free) c.waitUntil = 0;
    }
  }

  private void fail(Counter c, long now, int free) {
    c.failures++;
    long delay = policy.delayAfter(c.failures, free);
    if (delay > 0) c.waitUntil = now + delay;
  }
}
