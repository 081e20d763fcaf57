package io.cellwatch.extension.analytics;

import java.util.Arrays;

/**
 * The latest {@code capacity} values of one estimate and their median and spread (scaled median absolute deviation,
 * which a few outliers, such as a step caught mid-relaxation, do not move). Fixed memory: one array. Not thread-safe.
 */
final class RobustWindow {

    /** Scales the median absolute deviation to a standard deviation for normally distributed values. */
    private static final double MAD_TO_SIGMA = 1.4826;

    private final double[] values;
    private int next;
    private int size;
    private long added;

    RobustWindow(final int capacity) {
        this.values = new double[capacity];
    }

    void add(final double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
        added++;
    }

    /** How many values were ever added. */
    long added() {
        return added;
    }

    /** The median of the values held, NaN when empty. */
    double median() {
        return size == 0 ? Double.NaN : median(sorted());
    }

    /** 1.4826 × the median absolute deviation from the median, NaN when empty. */
    double spread() {
        if (size == 0) {
            return Double.NaN;
        }
        final double median = median();
        final double[] deviations = new double[size];
        for (int i = 0; i < size; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        Arrays.sort(deviations);
        return MAD_TO_SIGMA * median(deviations);
    }

    private double[] sorted() {
        final double[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    static double median(final double[] sorted) {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
