package io.cellwatch.extension.live;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Timer;

import java.util.concurrent.TimeUnit;

/** The live fan-out's counters in the metric registry (thus on {@code /metrics}). Thread-safe. */
public final class LiveMetrics {

    static final String PREFIX = "cellwatch.live.";

    final Counter flushes;
    final Counter framesEncoded;
    final Counter framesSent;
    final Counter framesCoalesced;
    final Counter framesDropped;
    final Counter slowClientsClosed;
    private final Timer delivery;

    public LiveMetrics(final MetricRegistry registry) {
        flushes = registry.counter(PREFIX + "flushes");
        framesEncoded = registry.counter(PREFIX + "frames.encoded");
        framesSent = registry.counter(PREFIX + "frames.sent");
        framesCoalesced = registry.counter(PREFIX + "frames.coalesced");
        framesDropped = registry.counter(PREFIX + "frames.dropped");
        slowClientsClosed = registry.counter(PREFIX + "clients.closed.slow");
        // A 10 s window, not a decaying sample: quantiles of what happened lately, comparable run to run.
        delivery = registry.timer(PREFIX + "delivery",
                () -> new Timer(new SlidingTimeWindowArrayReservoir(10, TimeUnit.SECONDS)));
    }

    /** A delta frame was written to a client socket {@code nanos} after its oldest change reached the fan-out. */
    void delivered(final long nanos) {
        delivery.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time from a change reaching the fan-out to its delta frame written to a client socket. */
    public Timer delivery() {
        return delivery;
    }

    /** Flushes run (each drains what changed since the previous one). */
    public long flushes() {
        return flushes.getCount();
    }

    /** Delta frames serialised: one per watched path per flush, plus one per catch-up frame of a slow client. */
    public long framesEncoded() {
        return framesEncoded.getCount();
    }

    /** Frames handed to client sockets (deltas, snapshots and errors). */
    public long framesSent() {
        return framesSent.getCount();
    }

    /** Shared frames a client was too far behind to take, folded into its next, latest-value frame. */
    public long framesCoalesced() {
        return framesCoalesced.getCount();
    }

    /** Frames not sent at all because their client was being closed. */
    public long framesDropped() {
        return framesDropped.getCount();
    }

    /** Clients closed for leaving frames unwritten past the bound. */
    public long slowClientsClosed() {
        return slowClientsClosed.getCount();
    }
}
