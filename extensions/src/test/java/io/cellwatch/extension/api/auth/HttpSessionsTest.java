package io.cellwatch.extension.api.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HttpSessionsTest {

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };
    private final HttpSessions sessions = new HttpSessions(Duration.ofMinutes(10), clock);

    @Test
    void aNewSessionKnowsItsUser() {
        final String token = sessions.open("alice");

        assertThat(sessions.user(token)).hasValue("alice");
    }

    @Test
    void tokensAreLongAndDistinct() {
        final String a = sessions.open("alice");
        final String b = sessions.open("alice");

        assertThat(a).isNotEqualTo(b).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void aSessionUnusedForTheIdleTimeExpires() {
        final String token = sessions.open("alice");
        millis.addAndGet(Duration.ofMinutes(10).toMillis() + 1);

        assertThat(sessions.user(token)).isEmpty();
    }

    @Test
    void useKeepsASessionAlive() {
        final String token = sessions.open("alice");
        millis.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThat(sessions.user(token)).isPresent();
        millis.addAndGet(Duration.ofMinutes(9).toMillis());

        assertThat(sessions.user(token)).hasValue("alice");
    }

    @Test
    void revokingAUserEndsOnlyTheirSessions() {
        final String alice = sessions.open("alice");
        final String bob = sessions.open("bob");

        sessions.revoke(Set.of("alice"));

        assertThat(sessions.user(alice)).isEmpty();
        assertThat(sessions.user(bob)).hasValue("bob");
    }

    @Test
    void closingEndsTheSession() {
        final String token = sessions.open("alice");

        sessions.close(token);

        assertThat(sessions.user(token)).isEmpty();
    }
}
