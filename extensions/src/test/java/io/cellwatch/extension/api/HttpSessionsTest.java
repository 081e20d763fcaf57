package io.cellwatch.extension.api;

import io.cellwatch.extension.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HttpSessionsTest {

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000_000));
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
        clock.advance(Duration.ofMinutes(10).plusMillis(1));

        assertThat(sessions.user(token)).isEmpty();
    }

    @Test
    void useKeepsASessionAlive() {
        final String token = sessions.open("alice");
        clock.advance(Duration.ofMinutes(9));
        assertThat(sessions.user(token)).isPresent();
        clock.advance(Duration.ofMinutes(9));

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
