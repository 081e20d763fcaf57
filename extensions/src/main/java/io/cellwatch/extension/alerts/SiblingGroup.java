package io.cellwatch.extension.alerts;

import io.cellwatch.extension.series.Series;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest value of each matched child series of one node, for an aggregate rule, with running min, max and sum:
 * a sample costs O(1) unless it moves the current min or max inward, which rescans the children once. Alert thread
 * only.
 */
final class SiblingGroup {

    private final Map<Series, double[]> latest = new HashMap<>();
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;

    /** The latest-value cell of {@code child}, created on its first sample. */
    double[] cell(final Series child) {
        return latest.computeIfAbsent(child, c -> new double[]{Double.NaN});
    }

    /** Takes {@code value} as the latest of the child whose cell is {@code cell}. */
    void update(final double[] cell, final double value) {
        final double old = cell[0];
        cell[0] = value;
        if (Double.isNaN(old)) {
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
            return;
        }
        sum += value - old;
        if ((old == min && value > old) || (old == max && value < old)) {
            rescan();
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
    }

    /** {@code aggregate} of the children's latest values. */
    double apply(final Aggregate aggregate) {
        return switch (aggregate) {
            case SPREAD -> max - min;
            case MIN -> min;
            case MAX -> max;
            case MEAN -> sum / latest.size();
        };
    }

    private void rescan() {
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
        sum = 0;
        for (final double[] cell : latest.values()) {
            min = Math.min(min, cell[0]);
            max = Math.max(max, cell[0]);
            sum += cell[0];
        }
    }
}
