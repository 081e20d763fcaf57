package io.cellwatch.edge.publish;

import io.cellwatch.edge.config.PublishSettings;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: exponential backoff with full jitter, a uniformly random delay between 0 and
 * {@code min(max, initial * 2^attempt)}, so a fleet of gateways that lost the broker at once does not come back at
 * once. Thread-safe if the random source is.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final LongUnaryOperator random;

    /** @param random given a bound {@code n > 0}, a uniformly random value in {@code [0, n)} */
    public Backoff(final Duration initial, final Duration max, final LongUnaryOperator random) {
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** The reconnect delays the config sets, random from {@link ThreadLocalRandom}. */
    public static Backoff forReconnects(final PublishSettings publish) {
        return new Backoff(publish.reconnectInitial(), publish.reconnectMax(),
                bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** The ceiling of the delay before reconnect attempt {@code attempt} (0-based). */
    public long ceilingMs(final int attempt) {
        final int shift = Math.min(Math.max(attempt, 0), 30);
        final long grown = initialMs << shift;
        return grown <= 0 || grown > maxMs ? maxMs : grown;
    }

    /** The delay before reconnect attempt {@code attempt} (0-based), in milliseconds. */
    public long delayMs(final int attempt) {
        return random.applyAsLong(ceilingMs(attempt) + 1);
    }
}
