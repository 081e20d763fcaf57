package io.cellwatch.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether a device time is plausible: not before 2020 and not more than {@link #MAX_AHEAD} ahead of the
 * server. An implausible or missing time is replaced by server time. Stateless and thread-safe.
 */
public final class DeviceClock {

    /** Earliest plausible device time: a gateway that reports earlier has lost its clock. */
    public static final long EARLIEST = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    /** How far ahead of the server a device clock may run. */
    public static final Duration MAX_AHEAD = Duration.ofHours(1);

    private DeviceClock() {
    }

    /** True if {@code ts} is a device time to keep at server time {@code now}. */
    public static boolean plausible(final long ts, final long now) {
        return ts != ParsedPayload.NO_TS && ts >= EARLIEST && ts <= now + MAX_AHEAD.toMillis();
    }
}
