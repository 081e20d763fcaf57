package io.cellwatch.edge.source;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one source is doing, as the health line, {@code /metrics} and {@code status} show it.
 *
 * @param state    {@code ok}, or a word saying what is wrong ({@code connecting}, {@code reconnecting}, {@code failing},
 *                 {@code unavailable})
 * @param detail   why, in a few words, or empty
 * @param counters named counters in display order (e.g. {@code read-errors}, {@code bad-status})
 */
public record SourceHealth(String state, String detail, Map<String, Long> counters) {

    public static final String OK = "ok";

    public SourceHealth {
        counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** Healthy, with these counters. */
    public static SourceHealth ok(final Map<String, Long> counters) {
        return new SourceHealth(OK, "", counters);
    }

    public boolean up() {
        return OK.equals(state);
    }

    /** {@code state [detail] name=value …}, one line. */
    public String line() {
        final StringBuilder out = new StringBuilder(state);
        if (!detail.isEmpty()) {
            out.append(" (").append(detail).append(')');
        }
        counters.forEach((name, value) -> out.append(' ').append(name).append('=').append(value));
        return out.toString();
    }
}
