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
 */
public record LiveSettings(int flushMillis, int framesInFlight, int slowClientMillis) {

    public static final String FLUSH_MILLIS = "live.flush-millis";
    public static final String FRAMES_IN_FLIGHT = "live.frames-in-flight";
    public static final String SLOW_CLIENT_MILLIS = "live.slow-client-millis";

    /** Changes wait at most 10 ms, 8 frames in flight, a client closed after 5 s without progress. */
    public static LiveSettings defaults() {
        return new LiveSettings(10, 8, 5_000);
    }

    static LiveSettings from(final ConfigFile file, final ConfigErrors errors) {
        final LiveSettings d = defaults();
        return new LiveSettings(
                file.intValue(FLUSH_MILLIS, d.flushMillis(), 1, 1_000, errors),
                file.intValue(FRAMES_IN_FLIGHT, d.framesInFlight(), 1, 1_024, errors),
                file.intValue(SLOW_CLIENT_MILLIS, d.slowClientMillis(), 100, 600_000, errors));
    }
}
