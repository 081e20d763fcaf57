package io.cellwatch.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * WAL → DuckDB lag of every publish of one measured run: the generator notes when it appended each publish
 * ({@link #appending}), the {@link CommitTracker} when it saw the publish's WAL index committed ({@link #committed});
 * the difference goes into a histogram in microseconds. Covers ordinals {@code [first, first + capacity)}.
 * Thread-safe for one writer of {@link #appending} and any callers of the rest.
 */
final class LagRecorder {

    private final long first;
    private final AtomicLongArray appendedNanos;
    private final Histogram micros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    private long unmatched;

    LagRecorder(final long first, final int capacity) {
        this.first = first;
        this.appendedNanos = new AtomicLongArray(capacity);
    }

    /** Notes that publish {@code ordinal} is appended at {@code nanos} ({@link System#nanoTime()}). */
    void appending(final long ordinal, final long nanos) {
        final long slot = ordinal - first;
        if (slot < 0 || slot >= appendedNanos.length()) {
            throw new IllegalStateException("ordinal " + ordinal + " outside the recorder's " + first + " + "
                    + appendedNanos.length());
        }
        // Release: published before the append, so whoever sees the publish committed sees the time.
        appendedNanos.setRelease((int) slot, nanos);
    }

    /** Every publish with an ordinal in ({@code after}, {@code upTo}] was seen committed at {@code nanos}. */
    synchronized void committed(final long after, final long upTo, final long nanos) {
        final long from = Math.max(after + 1, first);
        final long to = Math.min(upTo, first + appendedNanos.length() - 1);
        for (long ordinal = from; ordinal <= to; ordinal++) {
            final long appended = appendedNanos.getAcquire((int) (ordinal - first));
            if (appended == 0) {
                unmatched++;
            } else {
                micros.recordValue(Math.max(0, (nanos - appended) / 1_000));
            }
        }
    }

    /** The lag distribution so far. */
    synchronized LagSummary summary() {
        return LagSummary.ofMicros(micros.copy(), unmatched);
    }
}
