package io.cellwatch.extension.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sequence numbers seen from one gateway, as merged ranges, so a publish that reaches a serving node twice (a
 * gateway that moved to another ingest node and sent it again) is recognised even when the copies arrive out of order
 * (the first node's backlog after the second node's fresh publishes). Bounded: past {@link #MAX_RANGES} ranges the
 * two lowest merge, and the gap between them counts as seen. Not thread-safe (one consumer thread).
 */
final class SeenSeqs {

    /** Most ranges kept per gateway; a gateway whose seqs leave more gaps than this loses its oldest gaps. */
    static final int MAX_RANGES = 256;

    // start -> end, inclusive, non-overlapping and non-adjacent.
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Records {@code seq}; false if it was seen before (or lies in a gap given up to the bound). */
    boolean add(final long seq) {
        final Map.Entry<Long, Long> below = ranges.floorEntry(seq);
        if (below != null && below.getValue() >= seq) {
            return false;
        }
        long start = seq;
        long end = seq;
        if (below != null && below.getValue() == seq - 1) {
            start = below.getKey();
        }
        final Map.Entry<Long, Long> above = ranges.higherEntry(seq);
        if (above != null && above.getKey() == seq + 1) {
            end = above.getValue();
            ranges.remove(above.getKey());
        }
        ranges.put(start, end);
        if (ranges.size() > MAX_RANGES) {
            final Map.Entry<Long, Long> lowest = ranges.pollFirstEntry();
            final Map.Entry<Long, Long> next = ranges.pollFirstEntry();
            ranges.put(lowest.getKey(), next.getValue());
        }
        return true;
    }

    /** Records every seq of {@code from..to} (both inclusive) as seen. */
    void addRange(final long from, final long to) {
        for (long seq = from; seq <= to; ) {
            final Map.Entry<Long, Long> covering = ranges.floorEntry(seq);
            if (covering != null && covering.getValue() >= seq) {
                seq = covering.getValue() + 1;
                continue;
            }
            final Map.Entry<Long, Long> next = ranges.higherEntry(seq);
            final long end = next == null ? to : Math.min(to, next.getKey() - 1);
            // Fill the gap [seq, end] as one range, joining its neighbours.
            long start = seq;
            long stop = end;
            if (covering != null && covering.getValue() == seq - 1) {
                start = covering.getKey();
            }
            if (next != null && next.getKey() == end + 1) {
                stop = next.getValue();
                ranges.remove(next.getKey());
            }
            ranges.put(start, stop);
            seq = end + 1;
        }
        while (ranges.size() > MAX_RANGES) {
            final Map.Entry<Long, Long> lowest = ranges.pollFirstEntry();
            final Map.Entry<Long, Long> following = ranges.pollFirstEntry();
            ranges.put(lowest.getKey(), following.getValue());
        }
    }

    /** Number of ranges held. */
    int ranges() {
        return ranges.size();
    }
}
