package io.cellwatch.contract;

/**
 * The metrics a payload carries, with its optional device time and sequence number.
 * <p>
 * For a metric leaf, {@link #names()} is {@code null} and {@link #values()} has one element. Arrays are owned by
 * this object and not copied: it lives for one publish on one thread.
 */
public final class ParsedPayload {

    /** {@link #ts()} when the payload carries no device time. */
    public static final long NO_TS = Long.MIN_VALUE;
    /** {@link #seq()} when the payload carries no sequence number. */
    public static final long NO_SEQ = -1;

    private final String[] names;
    private final double[] values;
    private final long ts;
    private final long seq;

    ParsedPayload(final String[] names, final double[] values, final long ts, final long seq) {
        this.names = names;
        this.values = values;
        this.ts = ts;
        this.seq = seq;
    }

    /** Metric names of a node payload, parallel to {@link #values()}; {@code null} for a metric leaf. */
    public String[] names() {
        return names;
    }

    public double[] values() {
        return values;
    }

    /** Device time in epoch milliseconds, or {@link #NO_TS}. */
    public long ts() {
        return ts;
    }

    /** Gateway sequence number, or {@link #NO_SEQ}. */
    public long seq() {
        return seq;
    }
}
