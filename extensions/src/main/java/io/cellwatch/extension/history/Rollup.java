package io.cellwatch.extension.history;

/**
 * Min, max, sum, count and last value of the samples of one series in one time bucket, as accumulated in memory
 * before merging into a rollup table. Not thread-safe.
 */
final class Rollup {

    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private long count;
    private double last;
    private long lastTs = Long.MIN_VALUE;

    /** Adds one sample; on equal timestamps the later one added becomes {@code last}, as in the merge SQL. */
    void add(final long ts, final double value) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
        count++;
        if (ts >= lastTs) {
            last = value;
            lastTs = ts;
        }
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    double sum() {
        return sum;
    }

    long count() {
        return count;
    }

    double last() {
        return last;
    }

    long lastTs() {
        return lastTs;
    }
}
