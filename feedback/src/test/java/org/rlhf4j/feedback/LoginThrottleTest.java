package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.TooManyRequestsResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Backoff by the policy's numbers, on a clock the test moves. */
class LoginThrottleTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final LoginThrottle throttle = new LoginThrottle(new LoginPolicy(3, 5, 1000, 8000, 60_000), now::get);

  /** Counts a failed attempt (begin without succeeded); false when the throttle answered 429. */
  boolean fail(String user, String ip) {
    try {
      throttle.begin(user, ip);
      return true;
    } catch (TooManyRequestsResponse e) {
      return false;
    }
  }

  @Test void anAccountWaitsAfterItsFreeFailuresDoublingUpToTheMaximum() {
    for (int i = 0; i < 3; i++) assertThat(fail("alice", "ip" + i)).isTrue();
    assertThat(fail("Alice", "ip9")).as("3 failures: wait 1 s (case-insensitive)").isFalse();
    now.addAndGet(999);
    assertThat(fail("alice", "ip9")).isFalse();
    now.addAndGet(1);
    assertThat(fail("alice", "ip9")).as("after 1 s: one more try").isTrue();
    assertThat(fail("alice", "ip9")).isFalse();
    now.addAndGet(1999);
    assertThat(fail("alice", "ip9")).as("4 failures: wait 2 s").isFalse();
    now.addAndGet(1);
    assertThat(fail("alice", "ip8")).isTrue();
    now.addAndGet(4000);
    assertThat(fail("alice", "ip8")).as("5 failures: 4 s").isTrue();
    now.addAndGet(7999);
    assertThat(fail("alice", "ip7")).as("6 failures: 8 s, the maximum").isFalse();
    now.addAndGet(1);
    assertThat(fail("alice", "ip7")).isTrue();
    now.addAndGet(8000);
    assertThat(fail("alice", "ip6")).as("7 failures: still 8 s").isTrue();
    assertThat(fail("bob", "ip6")).as("another account is not held up").isTrue();
  }

  @Test void theLockoutNoticeSaysWhoWaitsAndForHowLong() {
    for (int i = 0; i < 3; i++) fail("alice", "a" + i);
    assertThatThrownBy(() -> throttle.begin("alice", "x")).isInstanceOf(TooManyRequestsResponse.class)
        .hasMessage("too many failed logins for this account: try again in 1 s")
        .satisfies(e -> assertThat(((TooManyRequestsResponse) e).getDetails()).containsEntry("retryAfterSeconds", "1"));
    for (int i = 0; i < 5; i++) fail("user" + i, "10.0.0.1");
    assertThatThrownBy(() -> throttle.begin("carol", "10.0.0.1")).hasMessage("too many failed logins from this address: try again in 1 s");
  }

  @Test void aSuccessClearsTheAccountAndTakesBackTheAddressAttempt() {
    fail("alice", "ip");
    fail("alice", "ip");
    throttle.succeeded(throttle.begin("alice", "ip"));  // third attempt, right password
    assertThat(fail("alice", "ip")).isTrue();
    assertThat(fail("alice", "ip")).isTrue();
    assertThat(fail("alice", "ip")).as("count restarted after the success: 3 new failures").isTrue();
    assertThat(fail("alice", "other")).isFalse();
    // the address: 2 + 3 failures (the success taken back) = 5 = its limit
    assertThat(fail("bob", "ip")).isFalse();
  }

  @Test void anAttemptThatCouldNotBeCheckedIsTakenBack() {
    fail("alice", "ip");
    fail("alice", "ip");
    throttle.abandoned(throttle.begin("alice", "ip"));  // 503: the server was too busy to check the password
    assertThat(fail("alice", "ip")).as("still only the third failure").isTrue();
    assertThat(fail("alice", "ip")).isFalse();
  }

  @Test void countsAreForgottenAfterTheForgetTime() {
    for (int i = 0; i < 3; i++) fail("alice", "ip");
    now.addAndGet(1000);
    assertThat(fail("alice", "ip")).isTrue();  // 4 failures: 2 s
    now.addAndGet(60_000);
    for (int i = 0; i < 3; i++) assertThat(fail("alice", "ip")).as("forgotten: %d of 3 free failures again", i + 1).isTrue();
    assertThat(fail("alice", "ip")).isFalse();
  }
}
