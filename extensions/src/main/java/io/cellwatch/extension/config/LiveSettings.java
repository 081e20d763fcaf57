package io.cellwatch.extension.config;

/**
 * The live WebSocket fan-out: how long a flush may wait and when a slow client is coalesced, then closed.
 *
 * @param flushMillis      how long a change may wait for its flush (plus a flush in progress): idle, a change is
 *                         flushed at once; under load, delta flushes start at most this often, coalescing what
 *                         arrived since the previous one
 * @param framesInFlight   delta frames a client may have queued but not yet written before further changes are held
 *                         back and sent later as one latest-value frame
 * @param slowClientMillis how long a client may leave a queued frame unwritten before it is closed (code 1013)
 * @param framesPerSecond  the delta frames per second all clients together are sent at most: a flush that sent N
 *                         frames delays the next by N / this (if longer than {@code flushMillis}), so with many
 *                         clients changes are coalesced into fewer, fuller frames instead of queueing
 */
public record LiveSettings(int flushMillis, int framesInFlight, int slowClientMillis, int framesPerSecond) {

    public static final String FLUSH_MILLIS = "live.flush-millis";
    public static final String FRAMES_IN_FLIGHT = "live.frames-in-flight";
    public static final String SLOW_CLIENT_MILLIS = "live.slow-client-millis";
    public static final String FRAMES_PER_SECOND = "live.frames-per-second";

    /**
     * Changes wait at most 10 ms, 8 frames in flight, a client closed after 5 s without progress, 20,000 delta frames
     * per second in all (100 clients get a frame every 10 ms, 1,000 every 50 ms).
     */
    public static LiveSettings defaults() {
        return new LiveSettings(10, 8, 5_000, 20_000);
    }

    static LiveSettings from(final ConfigFile file, final ConfigErrors errors) {
        final LiveSettings d = defaults();
        return new LiveSettings(
                file.intValue(FLUSH_MILLIS, d.flushMillis(), 1, 1_000, errors),
                file.intValue(FRAMES_IN_FLIGHT, d.framesInFlight(), 1, 1_024, errors),
                file.intValue(SLOW_CLIENT_MILLIS, d.slowClientMillis(), 100, 600_000, errors),
                file.intValue(FRAMES_PER_SECOND, d.framesPerSecond(), 100, 10_000_000, errors));
    }
}
