package io.cellwatch.extension.security;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per user name and per client address within a sliding minute. Once a key reaches its limit,
 * every further attempt on it (right password or not) is refused until its oldest failure is a minute old: password
 * guessing gets a handful of tries a minute per account. An address gets four times the per-user limit, so that
 * colleagues behind one NAT do not lock each other out, yet one address cannot spray many accounts. Thread-safe.
 */
public final class LoginThrottle {

    private static final long WINDOW_MILLIS = 60_000;

    private static final int ADDRESS_FACTOR = 4;

    private final int failuresPerMinute;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(final int failuresPerMinute, final Clock clock) {
        this.failuresPerMinute = failuresPerMinute;
        this.clock = clock;
    }

    /** Seconds until {@code user} from {@code address} may try again; 0 if it may now. */
    public long retryAfterSeconds(final String user, final String address) {
        final long now = clock.millis();
        return Math.max(wait(userKey(user), failuresPerMinute, now),
                wait(addressKey(address), failuresPerMinute * ADDRESS_FACTOR, now));
    }

    /** Records a failed login. */
    public void failed(final String user, final String address) {
        final long now = clock.millis();
        record(userKey(user), now);
        record(addressKey(address), now);
    }

    private long wait(final String key, final int limit, final long now) {
        final Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < limit) {
                return 0;
            }
            return Math.max(1, (times.peekFirst() + WINDOW_MILLIS - now + 999) / 1000);
        }
    }

    private void record(final String key, final long now) {
        final Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
        if (failures.size() > 100_000) {
            // A spray of user names must not grow this without bound: forget keys with no recent failure.
            failures.entrySet().removeIf(entry -> {
                synchronized (entry.getValue()) {
                    prune(entry.getValue(), now);
                    return entry.getValue().isEmpty();
                }
            });
        }
    }

    private static void prune(final Deque<Long> times, final long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_MILLIS) {
            times.removeFirst();
        }
    }

    private static String userKey(final String user) {
        return "user:" + user;
    }

    private static String addressKey(final String address) {
        return "address:" + address;
    }
}
