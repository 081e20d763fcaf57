package io.cellwatch.mapping;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads a foreign device's time and decides whether to keep it. Foreign devices are sloppier than cellwatch
 * gateways (ESP32s report seconds since boot as 1970 dates), so the window is tighter than the native contract's:
 * not before {@link #EARLIEST} and at most {@link #MAX_AHEAD} ahead of the server. Stateless and thread-safe.
 */
public final class ForeignTimestamp {

    /** No readable time. */
    public static final long NONE = Long.MIN_VALUE;
    /** Earliest device time kept. */
    public static final long EARLIEST = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    /** How far ahead of the server a device time may be. */
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /** Epoch numbers below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
    private static final double SECONDS_BELOW = 1e11;

    private ForeignTimestamp() {
    }

    /** An ISO-8601 instant ({@code 2026-05-05T10:30:00Z}, offsets allowed) or epoch seconds/ms as text. */
    public static long parse(final String text) {
        final String t = text.strip();
        try {
            return epoch(Double.parseDouble(t));
        } catch (final NumberFormatException notNumber) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (final DateTimeParseException | ArithmeticException notIso) {
                return NONE;
            }
        }
    }

    /** Epoch seconds (below 1e11) or milliseconds. */
    public static long epoch(final double value) {
        if (!Double.isFinite(value)) {
            return NONE;
        }
        return Math.abs(value) < SECONDS_BELOW ? Math.round(value * 1000) : Math.round(value);
    }

    /** True if {@code ts} is a device time to keep at server time {@code now}. */
    public static boolean plausible(final long ts, final long now) {
        return ts != NONE && ts >= EARLIEST && ts <= now + MAX_AHEAD.toMillis();
    }
}
