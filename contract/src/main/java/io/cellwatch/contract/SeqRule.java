package io.cellwatch.contract;

/**
 * The {@code seq} rule: a gateway numbers its publishes with a non-negative {@code seq} that increases per MQTT
 * client id, across restarts. The broker accepts a publish whose {@code seq} is above the highest it accepted from
 * that client id logged in as that user (tenant, user, client id) and acknowledges-and-drops the rest as retries; a
 * publish without {@code seq} is never deduplicated. Stateless and thread-safe.
 */
public final class SeqRule {

    /** The first {@code seq} a new client id uses. */
    public static final long FIRST = 0;

    private SeqRule() {
    }

    /** True if the broker drops a publish with {@code seq} as a retry, given the highest accepted so far (or -1). */
    public static boolean isRetry(final long highestAccepted, final long seq) {
        return seq >= 0 && seq <= highestAccepted;
    }

    /** The {@code seq} after {@code seq}; a counter at {@link Long#MAX_VALUE} has no successor. */
    public static long next(final long seq) {
        check(seq);
        if (seq == Long.MAX_VALUE) {
            throw new IllegalStateException("seq is exhausted; continue under a new client id");
        }
        return seq + 1;
    }

    /** Throws {@link IllegalArgumentException} unless {@code seq} is a valid sequence number. */
    public static long check(final long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq " + seq + " is not a non-negative integer");
        }
        return seq;
    }
}
