package io.cellwatch.extension.quota;

import io.cellwatch.contract.Rejection;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tenant holds the retained message of each topic, and its size, so that a replaced or cleared message frees
 * exactly what it took. Filled at start from the broker's retained store ({@link #restored}) and kept up to date by the
 * publish path. Thread-safe; every operation is one map update and a few atomic adds.
 */
public final class RetainedLedger {

    /** One retained message as counted: its holder and its size (topic and payload bytes). */
    private record Entry(TenantQuota holder, long bytes) {
    }

    /** A charged retained publish; {@link #undo} if the publish is refused after all. */
    public interface Charge {
        /** Nothing to undo. */
        Charge NONE = () -> { };

        /** Puts the ledger back as it was before the charge (the broker keeps the old retained message). */
        void undo();
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The size a retained message is counted with: its topic and its payload. */
    public static long sizeOf(final String topic, final int payloadBytes) {
        return (long) topic.length() + payloadBytes;
    }

    /**
     * Charges {@code holder} for the retained message of {@code topic}, replacing what the topic held, or refuses it
     * over the holder's retained bytes or messages limit (nothing changes then).
     */
    public Charge charge(final TenantQuota holder, final String topic, final long bytes) throws Rejection {
        final Entry previous = entries.get(topic);
        final boolean own = previous != null && previous.holder() == holder;
        holder.chargeRetained(bytes, own, own ? previous.bytes() : 0);
        final Entry next = new Entry(holder, bytes);
        final Entry replaced = entries.put(topic, next);
        if (replaced != null) {
            replaced.holder().releaseRetained(replaced.bytes());
        }
        return () -> {
            if (entries.remove(topic, next)) {
                holder.releaseRetained(bytes);
                if (replaced != null && entries.putIfAbsent(topic, replaced) == null) {
                    replaced.holder().addRetained(replaced.bytes());
                }
            }
        };
    }

    /** Frees the retained message of {@code topic}: an empty retained publish cleared it. */
    public void cleared(final String topic) {
        final Entry removed = entries.remove(topic);
        if (removed != null) {
            removed.holder().releaseRetained(removed.bytes());
        }
    }

    /**
     * Counts a retained message found in the broker's store at start for {@code holder}, unless the publish path has
     * counted the topic meanwhile (then the newer message is what the broker keeps).
     */
    public void restored(final TenantQuota holder, final String topic, final long bytes) {
        if (entries.putIfAbsent(topic, new Entry(holder, bytes)) == null) {
            holder.addRetained(bytes);
        }
    }

    /** Retained messages counted. */
    public int size() {
        return entries.size();
    }
}
