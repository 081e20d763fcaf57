package io.cellwatch.extension.analytics;

/**
 * A pack's cell-voltage spread (max − min) over one hour or one day, at rest and under load apart.
 *
 * @param start       the bucket's start, epoch ms (UTC)
 * @param restVolts   mean spread while at rest, NaN if never at rest
 * @param restSamples spreads behind {@code restVolts}
 * @param loadVolts   mean spread while charging or discharging, NaN if never
 * @param loadSamples spreads behind {@code loadVolts}
 */
public record SpreadBucket(long start, double restVolts, long restSamples, double loadVolts, long loadSamples) {
}
