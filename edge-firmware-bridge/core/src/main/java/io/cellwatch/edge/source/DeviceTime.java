package io.cellwatch.edge.source;

import io.cellwatch.contract.DeviceClock;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plausibility rule for device timestamps the gateway receives (OPC-UA source times, sensor payload fields): a
 * time before {@link #EARLIEST} (a device that lost its clock reports 1970) or more than
 * {@link DeviceClock#MAX_AHEAD} ahead of the gateway is replaced by gateway time and counted. Thread-safe.
 */
public final class DeviceTime {

    /** Earliest device time kept: nothing this gateway reads was measured before it shipped. */
    public static final long EARLIEST = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    private final AtomicLong replaced = new AtomicLong();

    /** True if {@code deviceTs} is a device time to keep at gateway time {@code now}: the window of every source. */
    public static boolean plausible(final long deviceTs, final long now) {
        return deviceTs >= EARLIEST && deviceTs <= now + DeviceClock.MAX_AHEAD.toMillis();
    }

    /** {@code deviceTs} if plausible at gateway time {@code now}, else {@code now} (counted). */
    public long decide(final long deviceTs, final long now) {
        if (plausible(deviceTs, now)) {
            return deviceTs;
        }
        replaced.incrementAndGet();
        return now;
    }

    /** Device times replaced by gateway time since start. */
    public long replaced() {
        return replaced.get();
    }
}
