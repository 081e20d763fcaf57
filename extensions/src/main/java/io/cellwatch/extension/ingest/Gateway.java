package io.cellwatch.extension.ingest;

import io.cellwatch.contract.SeqRule;

/**
 * A publishing client (a plant gateway), known by its {@link GatewayKey} (tenant, user, client id), with the highest
 * sequence number accepted from it: a publish at or below it is a retry and is dropped. Updated only from the
 * client's own broker thread.
 */
public final class Gateway {

    private final int id;
    private final GatewayKey key;
    private volatile long highestSeq;

    Gateway(final int id, final GatewayKey key, final long highestSeq) {
        this.id = id;
        this.key = key;
        this.highestSeq = highestSeq;
    }

    /** Compact id used in the WAL and the history database. */
    public int id() {
        return id;
    }

    /** Tenant, user and client id. */
    public GatewayKey key() {
        return key;
    }

    /** The MQTT client id. */
    public String clientId() {
        return key.clientId();
    }

    /** The highest {@code seq} accepted so far, or -1. */
    public long highestSeq() {
        return highestSeq;
    }

    /** True if a publish with {@code seq} was already accepted (a gateway retry). */
    boolean alreadyAccepted(final long seq) {
        return SeqRule.isRetry(highestSeq, seq);
    }

    /** Records that {@code seq} was accepted. */
    public void accepted(final long seq) {
        if (seq > highestSeq) {
            highestSeq = seq;
        }
    }
}
