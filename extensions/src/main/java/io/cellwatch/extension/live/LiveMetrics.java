package io.cellwatch.extension.live;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/** The live fan-out's metrics ({@code cellwatch_live_…} on {@code /metrics}). Thread-safe. */
public final class LiveMetrics {

    final Counter flushes;
    final Counter framesEncoded;
    final Counter framesSent;
    final Counter framesCoalesced;
    final Counter framesDropped;
    final Counter slowClientsClosed;
    private final Counter commandsRefused;
    private final Counter abusiveClientsClosed;
    private final Counter messagesTooBig;
    private final Counter snapshotPages;
    private final Histogram delivery;

    public LiveMetrics(final Metrics metrics) {
        flushes = metrics.counter("cellwatch_live_flushes_total",
                "Live flushes run; each drains what changed since the previous one");
        framesEncoded = metrics.counter("cellwatch_live_frames_encoded_total",
                "Delta frames serialised: one per watched path per flush, plus catch-up frames of slow clients");
        framesSent = metrics.counter("cellwatch_live_frames_sent_total",
                "Frames handed to WebSocket clients (deltas, snapshots and errors)");
        framesCoalesced = metrics.counter("cellwatch_live_frames_coalesced_total",
                "Shared frames a client was too far behind to take, folded into its next latest-value frame");
        framesDropped = metrics.counter("cellwatch_live_frames_dropped_total",
                "Frames not sent because their client was being closed");
        slowClientsClosed = metrics.counter("cellwatch_live_clients_closed_slow_total",
                "WebSocket clients closed for leaving frames unread past the slow-client bound");
        commandsRefused = metrics.counter("cellwatch_live_commands_refused_total",
                "Live client messages refused: over the socket's rate or queue bound, or the fan-out's queue full");
        abusiveClientsClosed = metrics.counter("cellwatch_live_clients_closed_abusive_total",
                "WebSocket clients closed with 1008 for sending commands past their bound again and again");
        messagesTooBig = metrics.counter("cellwatch_live_messages_too_big_total",
                "WebSocket clients closed with 1009 for a message over live.max-message-bytes");
        snapshotPages = metrics.counter("cellwatch_live_snapshot_pages_total",
                "Snapshot frames sent to live clients (a subtree's snapshot is one or more pages)");
        delivery = metrics.seconds("cellwatch_live_delivery_seconds",
                "Hop 3: per delta frame and client, from the oldest change in it reaching the live fan-out (after its"
                        + " WAL append) until the frame is written to the client's socket");
    }

    /** A client message was refused (rate, queue or fan-out bound). */
    public void commandRefused() {
        commandsRefused.inc();
    }

    /** A client was closed with 1008 for refused commands in a row. */
    public void closedAbusive() {
        abusiveClientsClosed.inc();
    }

    /** A client was closed with 1009 for a message over the size bound. */
    public void messageTooBig() {
        messagesTooBig.inc();
    }

    /** A delta frame was written to a client socket {@code nanos} after its oldest change reached the fan-out. */
    void delivered(final long nanos) {
        delivery.observe(nanos / 1e9);
    }

    /** Flushes run (each drains what changed since the previous one). */
    public long flushes() {
        return (long) flushes.get();
    }

    /** Delta frames serialised: one per watched path per flush, plus one per catch-up frame of a slow client. */
    public long framesEncoded() {
        return (long) framesEncoded.get();
    }

    /** Frames handed to client sockets (deltas, snapshots and errors). */
    public long framesSent() {
        return (long) framesSent.get();
    }

    /** Shared frames a client was too far behind to take, folded into its next, latest-value frame. */
    public long framesCoalesced() {
        return (long) framesCoalesced.get();
    }

    /** Frames not sent at all because their client was being closed. */
    public long framesDropped() {
        return (long) framesDropped.get();
    }

    /** A snapshot page went to a client. */
    void snapshotPage() {
        snapshotPages.inc();
    }

    /** Clients closed for leaving frames unwritten past the bound. */
    public long slowClientsClosed() {
        return (long) slowClientsClosed.get();
    }
}
