package io.cellwatch.extension.alerts;

import java.util.Collection;
import java.util.Locale;

/** What an aggregate rule computes over the latest values of a node's children. */
public enum Aggregate {
    /** Largest minus smallest: a pack's cell imbalance. */
    SPREAD,
    MIN,
    MAX,
    MEAN;

    /** The name used in the rules file: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Aggregate ofWord(final String word) {
        for (final Aggregate aggregate : values()) {
            if (aggregate.word().equals(word)) {
                return aggregate;
            }
        }
        return null;
    }

    /** This function of {@code values} (at least one). */
    double apply(final Collection<Double> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (final double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return switch (this) {
            case SPREAD -> max - min;
            case MIN -> min;
            case MAX -> max;
            case MEAN -> sum / values.size();
        };
    }
}
