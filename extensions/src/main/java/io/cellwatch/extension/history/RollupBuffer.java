package io.cellwatch.extension.history;

import java.util.HashMap;
import java.util.Map;

/** The rollups of one batch at one bucket width, keyed by (series, bucket start). Not thread-safe. */
final class RollupBuffer {

    /** One bucket of one series; {@code bucketMs} is the bucket's start, epoch milliseconds. */
    record Key(int seriesId, long bucketMs) {
    }

    private final long widthMs;
    private final Map<Key, Rollup> rollups = new HashMap<>();

    RollupBuffer(final long widthMs) {
        this.widthMs = widthMs;
    }

    long widthMs() {
        return widthMs;
    }

    /** The start of the bucket {@code ts} falls in. */
    long bucket(final long ts) {
        return Math.floorDiv(ts, widthMs) * widthMs;
    }

    /** The rollup of {@code seriesId} in the bucket starting at {@code bucketMs}, created empty if new. */
    Rollup rollup(final int seriesId, final long bucketMs) {
        return rollups.computeIfAbsent(new Key(seriesId, bucketMs), k -> new Rollup());
    }

    Map<Key, Rollup> rollups() {
        return rollups;
    }
}
