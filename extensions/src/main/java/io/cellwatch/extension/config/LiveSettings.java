package io.cellwatch.extension.config;

/**
 * The live WebSocket fan-out: how long a flush may wait and when a slow client is coalesced, then closed; and what one
 * client may make it hold (commands, message size, snapshot pages).
 *
 * @param flushMillis        how long a change may wait for its flush (plus a flush in progress): idle, a change is
 *                           flushed at once; under load, delta flushes start at most this often, coalescing what
 *                           arrived since the previous one
 * @param framesInFlight     frames (deltas and snapshot pages) a client may have queued but not yet written before
 *                           further changes are held back and sent later as one latest-value frame
 * @param slowClientMillis   how long a client may leave a queued frame unwritten before it is closed (code 1013)
 * @param framesPerSecond    the delta frames per second all clients together are sent at most: a flush that sent N
 *                           frames delays the next by N / this (if longer than {@code flushMillis}), so with many
 *                           clients changes are coalesced into fewer, fuller frames instead of queueing
 * @param commandsPerSecond  the messages per second one socket may send on average (a token bucket)
 * @param commandBurst       the messages one socket may send at once; also the refusals in a row after which it is
 *                           closed with 1008
 * @param commandsQueued     the commands of one socket waiting for the fan-out thread; more are refused
 * @param pendingCommands    the commands of all sockets together waiting for the fan-out thread; more are refused
 * @param maxMessageBytes    the largest message a client may send (fragments counted together); past it the socket
 *                           is closed with 1009
 * @param snapshotPageSeries the most series in one snapshot frame; a larger subtree's snapshot comes in pages
 */
public record LiveSettings(int flushMillis, int framesInFlight, int slowClientMillis, int framesPerSecond,
                           int commandsPerSecond, int commandBurst, int commandsQueued, int pendingCommands,
                           int maxMessageBytes, int snapshotPageSeries) {

    public static final String FLUSH_MILLIS = "live.flush-millis";
    public static final String FRAMES_IN_FLIGHT = "live.frames-in-flight";
    public static final String SLOW_CLIENT_MILLIS = "live.slow-client-millis";
    public static final String FRAMES_PER_SECOND = "live.frames-per-second";
    public static final String COMMANDS_PER_SECOND = "live.commands-per-second";
    public static final String COMMAND_BURST = "live.command-burst";
    public static final String COMMANDS_QUEUED = "live.commands-queued";
    public static final String PENDING_COMMANDS = "live.pending-commands";
    public static final String MAX_MESSAGE_BYTES = "live.max-message-bytes";
    public static final String SNAPSHOT_PAGE_SERIES = "live.snapshot-page-series";

    /** The flush and backpressure settings with the default client bounds. */
    public LiveSettings(final int flushMillis, final int framesInFlight, final int slowClientMillis,
                        final int framesPerSecond) {
        this(flushMillis, framesInFlight, slowClientMillis, framesPerSecond, 20, 100, 32, 10_000, 64 * 1024, 1_000);
    }

    /**
     * Changes wait at most 10 ms, 8 frames in flight, a client closed after 5 s without progress, 20,000 delta frames
     * per second in all (100 clients get a frame every 10 ms, 1,000 every 50 ms); per socket 20 commands a second in
     * bursts of 100, 32 queued, 10,000 queued in all, 64 KiB messages; snapshots in pages of 1,000 series.
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
                file.intValue(FRAMES_PER_SECOND, d.framesPerSecond(), 100, 10_000_000, errors),
                file.intValue(COMMANDS_PER_SECOND, d.commandsPerSecond(), 1, 10_000, errors),
                file.intValue(COMMAND_BURST, d.commandBurst(), 1, 100_000, errors),
                file.intValue(COMMANDS_QUEUED, d.commandsQueued(), 1, 10_000, errors),
                file.intValue(PENDING_COMMANDS, d.pendingCommands(), 16, 1_000_000, errors),
                file.intValue(MAX_MESSAGE_BYTES, d.maxMessageBytes(), 1_024, 16 * 1024 * 1024, errors),
                file.intValue(SNAPSHOT_PAGE_SERIES, d.snapshotPageSeries(), 10, 100_000, errors));
    }
}
