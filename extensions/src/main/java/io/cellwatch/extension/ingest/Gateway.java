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
    // Only on a serving node, only its feed thread: every seq relayed from ingest nodes.
    private SeenSeqs relayed;

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

    /**
     * On a serving node: records {@code seq} relayed from an ingest node; false if a publish with it was relayed
     * before, from any ingest node, in any order. A publish without seq (-1) is always first. Feed thread only.
     */
    boolean firstRelay(final long seq) {
        if (seq < 0) {
            return true;
        }
        if (relayed == null) {
            relayed = new SeenSeqs();
        }
        return relayed.add(seq);
    }

    /** On a serving node at start: records that publishes with seqs {@code from..to} were relayed and stored. */
    public void relayed(final long from, final long to) {
        if (relayed == null) {
            relayed = new SeenSeqs();
        }
        relayed.addRange(from, to);
    }

    /** Records that {@code seq} was accepted. */
    public void accepted(final long seq) {
        if (seq > highestSeq) {
            highestSeq = seq;
        }
    }
}
