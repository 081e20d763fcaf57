package io.cellwatch.edge.publish;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the MQTT side, read by the health log and {@code status}. Thread-safe. */
public final class PublishStats {

    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong rewinds = new AtomicLong();
    final AtomicLong brokerSwitches = new AtomicLong();

    /** Publishes handed to the MQTT client (re-sends included). */
    public long sent() {
        return sent.get();
    }

    /** Publishes the broker acknowledged with success. */
    public long acked() {
        return acked.get();
    }

    /** Publishes the broker acknowledged with an error reason code: not retried, they would fail again. */
    public long refused() {
        return refused.get();
    }

    /** Publishes that failed without an acknowledgement (link lost with the session); sent again. */
    public long failed() {
        return failed.get();
    }

    /** Connections re-established after a loss. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Connections made to another broker than the one connected to before (failovers). */
    public long brokerSwitches() {
        return brokerSwitches.get();
    }

    /** Times the sender went back to the acknowledged position to send again. */
    public long rewinds() {
        return rewinds.get();
    }
}
