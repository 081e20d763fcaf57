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

    void add(final int seriesId, final long ts, final double value) {
        final long bucket = Math.floorDiv(ts, widthMs) * widthMs;
        rollups.computeIfAbsent(new Key(seriesId, bucket), k -> new Rollup()).add(ts, value);
    }

    Map<Key, Rollup> rollups() {
        return rollups;
    }
}
