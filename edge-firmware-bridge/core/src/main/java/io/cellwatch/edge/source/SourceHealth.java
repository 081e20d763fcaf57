package io.cellwatch.edge.source;

import io.cellwatch.contract.GatewayHealth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one source is doing, as the health line, {@code /metrics} and {@code status} show it.
 *
 * @param state    {@code ok}, or a word saying what is wrong ({@code connecting}, {@code reconnecting},
 *                 {@code degraded}: some of its reads keep failing, {@code failing}: all do, {@code unavailable})
 * @param detail   why, in a few words, or empty
 * @param counters named counters in display order (e.g. {@code read-errors}, {@code bad-status})
 * @param problems the parts that keep failing and the series they keep away, empty when none
 */
public record SourceHealth(String state, String detail, Map<String, Long> counters, List<SourceProblem> problems) {

    public static final String OK = "ok";
    /** Some reads of the source keep failing; the others arrive. */
    public static final String DEGRADED = "degraded";
    /** Every read of the source fails. */
    public static final String FAILING = "failing";

    public SourceHealth {
        counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        problems = List.copyOf(problems);
    }

    /** A state without failing parts. */
    public SourceHealth(final String state, final String detail, final Map<String, Long> counters) {
        this(state, detail, counters, List.of());
    }

    /** Healthy, with these counters. */
    public static SourceHealth ok(final Map<String, Long> counters) {
        return new SourceHealth(OK, "", counters);
    }

    /** This health as source {@code name}'s part of the gateway's health report (unbounded: the writer bounds it). */
    public GatewayHealth.Source report(final String name) {
        return new GatewayHealth.Source(name, state, detail, problems.stream()
                .map(p -> new GatewayHealth.Problem(p.request(), p.error(), p.failures(), p.missingSeries().size(),
                        p.missingSeries()))
                .toList(), 0);
    }

    public boolean up() {
        return OK.equals(state);
    }

    /** {@code state [detail] name=value … [| failing: problem]…}, one line. */
    public String line() {
        final StringBuilder out = new StringBuilder(state);
        if (!detail.isEmpty()) {
            out.append(" (").append(detail).append(')');
        }
        counters.forEach((name, value) -> out.append(' ').append(name).append('=').append(value));
        for (final SourceProblem problem : problems) {
            out.append(" | failing: ").append(problem.line());
        }
        return out.toString();
    }
}
