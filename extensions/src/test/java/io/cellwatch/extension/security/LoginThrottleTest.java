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
    void failuresUpToTheAllowanceCostNothing() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");

        assertThat(throttle.admit("10.0.0.1").immediate()).isTrue();
    }

    @Test
    void pastTheAllowanceEachAttemptWaitsAndTheWaitDoublesUpToItsCap() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.admit("10.0.0.1").delayMillis()).isEqualTo(500);
        clock.advance(Duration.ofMillis(500));
        throttle.failed("10.0.0.1");
        assertThat(throttle.admit("10.0.0.1").delayMillis()).isEqualTo(1_000);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(9));
            throttle.failed("10.0.0.1");
        }
        clock.advance(Duration.ofSeconds(9));

        assertThat(throttle.admit("10.0.0.1").delayMillis()).isEqualTo(LoginThrottle.MAX_DELAY_MILLIS);
        assertThat(throttle.delayedCount()).isEqualTo(3);
    }

    @Test
    void concurrentAttemptsQueueAndTheOnesTooFarOffAreRefused() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.admit("10.0.0.1").delayMillis()).isEqualTo(1_000);
        assertThat(throttle.admit("10.0.0.1").delayMillis()).isEqualTo(2_000);
        for (int i = 0; i < 7; i++) {
            throttle.admit("10.0.0.1");
        }

        final LoginThrottle.Admission refused = throttle.admit("10.0.0.1");
        assertThat(refused.refused()).isTrue();
        assertThat(refused.retryAfterSeconds()).isPositive();
        assertThat(throttle.refusedCount()).isPositive();
    }

    @Test
    void theCountDrainsWithTime() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(2));

        assertThat(throttle.admit("10.0.0.1").immediate()).isTrue();
        assertThat(throttle.tracked()).isZero();
    }

    @Test
    void anotherAddressIsNotSlowedByTheFailuresOfOne() {
        for (int i = 0; i < 6; i++) {
            throttle.failed("10.0.0.1");
        }

        assertThat(throttle.admit("10.0.1.1").immediate()).isTrue();
        assertThat(throttle.admit("10.0.0.2").immediate()).as("the /24 allows four times as many").isTrue();
    }

    @Test
    void rotatingAddressesWithinASlash24CountsForTheWholeNetwork() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("10.0.0." + (i + 10));
        }

        assertThat(throttle.admit("10.0.0.99").delayMillis()).isEqualTo(500);
        assertThat(throttle.admit("10.0.1.99").immediate()).isTrue();
    }

    @Test
    void ipv6AddressesCountPerSlash64() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("2001:db8:1:2::" + Integer.toHexString(i + 1));
        }

        assertThat(throttle.admit("2001:db8:1:2:ffff::1").delayMillis()).isPositive();
        assertThat(throttle.admit("2001:db8:1:3::1").immediate()).isTrue();
        assertThat(LoginThrottle.networkKey("2001:db8:1:2::5")).isEqualTo(LoginThrottle.networkKey("2001:db8:1:2:0:0:0:9"));
    }

    @Test
    void aNameThatIsNoAddressIsCountedAsItselfWithoutALookup() {
        assertThat(LoginThrottle.networkKey("unknown")).isEqualTo("n unknown");
        assertThat(LoginThrottle.networkKey("example.com")).isEqualTo("n example.com");
    }
}
