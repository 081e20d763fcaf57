package io.cellwatch.extension.alerts;

/**
 * The rolling baseline of one series for a zscore rule: the last {@code window} samples in a ring, with running sums
 * so a sample costs O(1). Alert thread only.
 */
final class Baseline {

    /** Below this a flat baseline would make any change infinitely many deviations away. */
    private static final double MIN_STD = 1e-9;

    private final double[] ring;
    private int count;
    private int next;
    private double sum;
    private double sumSquares;

    Baseline(final int window) {
        this.ring = new double[window];
    }

    /**
     * How many standard deviations {@code value} lies from the mean of the previous {@code window} samples (NaN until
     * there are that many), then takes it into the baseline.
     */
    double scoreThenAdd(final double value) {
        double z = Double.NaN;
        if (count == ring.length) {
            final double mean = sum / count;
            final double variance = Math.max(0, sumSquares / count - mean * mean);
            z = Math.abs(value - mean) / Math.max(Math.sqrt(variance), MIN_STD);
            final double old = ring[next];
            sum -= old;
            sumSquares -= old * old;
        } else {
            count++;
        }
        ring[next] = value;
        next = (next + 1) % ring.length;
        sum += value;
        sumSquares += value * value;
        return z;
    }
}
