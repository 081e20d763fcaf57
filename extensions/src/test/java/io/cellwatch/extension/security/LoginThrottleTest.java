package io.cellwatch.extension.security;

import io.cellwatch.extension.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, clock);

    @Test
    void allowsAttemptsBelowTheLimit() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");

        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isZero();
    }

    @Test
    void refusesAUserAtTheLimitUntilTheOldestFailureIsAMinuteOld() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice", "10.0.0." + i);
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.9")).isEqualTo(30);
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.9")).isZero();
    }

    @Test
    void otherUsersFromTheSameAddressAreNotBlockedByOneUsersFailures() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("alice", "10.0.0.1");
        }

        assertThat(throttle.retryAfterSeconds("bob", "10.0.0.1")).isZero();
    }

    @Test
    void anAddressSprayingManyUsersIsBlockedAtFourTimesTheUserLimit() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }

        assertThat(throttle.retryAfterSeconds("fresh", "10.0.0.1")).isPositive();
        assertThat(throttle.retryAfterSeconds("fresh", "10.0.0.2")).isZero();
    }
}
