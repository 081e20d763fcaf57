package io.cellwatch.extension.metrics;

import java.util.regex.Pattern;

/**
 * The naming conventions every cellwatch metric is checked against when it is made, so a wrong name fails the first
 * test that starts the extension, not a dashboard months later: {@code cellwatch_} prefix, lower snake case, counters
 * end in {@code _total}, latencies in {@code _seconds}, help text written (not empty, not the name).
 */
final class MetricNames {

    /** What a metric is, for the suffix it must carry. */
    enum Kind { COUNTER, GAUGE, SECONDS }

    private static final Pattern NAME = Pattern.compile("cellwatch_[a-z0-9]+(_[a-z0-9]+)*");

    private MetricNames() {
    }

    static void check(final String name, final String help, final Kind kind) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name " + name + ": must be cellwatch_ and lower snake case");
        }
        if (help == null || help.isBlank() || help.replace(' ', '_').equalsIgnoreCase(name)) {
            throw new IllegalArgumentException("metric " + name + ": needs help text that says what it counts");
        }
        final boolean total = name.endsWith("_total");
        final boolean seconds = name.endsWith("_seconds");
        switch (kind) {
            case COUNTER -> require(total, name, "a counter's name ends in _total");
            case SECONDS -> require(seconds, name, "a latency histogram's name ends in _seconds");
            case GAUGE -> require(!total, name, "a gauge's name does not end in _total");
        }
    }

    private static void require(final boolean ok, final String name, final String rule) {
        if (!ok) {
            throw new IllegalArgumentException("metric " + name + ": " + rule);
        }
    }
}
