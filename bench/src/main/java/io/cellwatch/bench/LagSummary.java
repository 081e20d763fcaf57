package io.cellwatch.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a lag distribution, in milliseconds.
 *
 * @param count     values recorded
 * @param unmatched publishes seen committed without a recorded append time (should be 0)
 */
record LagSummary(long count, double p50, double p90, double p99, double p999, double max, long unmatched) {

    static LagSummary ofMicros(final Histogram micros, final long unmatched) {
        return new LagSummary(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), unmatched);
    }

    private static double ms(final long micros) {
        return micros / 1000.0;
    }
}
