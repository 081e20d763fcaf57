package io.cellwatch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread of a few runs' figures. Stateless. */
final class Stats {

    private Stats() {
    }

    static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(final List<Double> values) {
        return Collections.min(values);
    }

    static double max(final List<Double> values) {
        return Collections.max(values);
    }

    /** A rate with thousands separators, e.g. {@code 612,345}. */
    static String rate(final double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** A number with {@code decimals} decimals. */
    static String num(final double value, final int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
