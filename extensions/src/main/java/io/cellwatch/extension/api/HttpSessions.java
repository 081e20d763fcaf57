package io.cellwatch.extension.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Logged-in HTTP sessions: a random 256-bit token per login, valid until unused for the idle time, dropped at logout
 * or when a reload changes the user's rights. In memory: a restart logs everyone out. Thread-safe.
 */
public final class HttpSessions {

    private record Session(String user, long lastUsed) {
    }

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, Session> byToken = new ConcurrentHashMap<>();
    private final long idleMillis;
    private final Clock clock;

    public HttpSessions(final Duration idle, final Clock clock) {
        this.idleMillis = idle.toMillis();
        this.clock = clock;
    }

    /** Starts a session for {@code user}; returns its token. */
    public String open(final String user) {
        final byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        final String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byToken.put(token, new Session(user, clock.millis()));
        return token;
    }

    /** The user of a live session, refreshing its idle timer; empty if unknown or expired. */
    public Optional<String> user(final String token) {
        final long now = clock.millis();
        final Session session = byToken.computeIfPresent(token,
                (t, s) -> now - s.lastUsed() > idleMillis ? null : new Session(s.user(), now));
        return session == null ? Optional.empty() : Optional.of(session.user());
    }

    /** Ends the session of {@code token}, if any. */
    public void close(final String token) {
        byToken.remove(token);
    }

    /** Ends every session of {@code users}. */
    public void revoke(final Set<String> users) {
        byToken.values().removeIf(session -> users.contains(session.user()));
    }

    /** Drops expired sessions; called now and then so abandoned logins do not pile up. */
    public void expire() {
        final long now = clock.millis();
        byToken.values().removeIf(session -> now - session.lastUsed() > idleMillis);
    }
}
