package io.cellwatch.edge.source;

import java.util.List;

/**
 * One part of a source that keeps failing (for Modbus one request of the poll), named so an engineer can act on it.
 *
 * @param request       what fails, e.g. {@code unit 1 holding 1+16 (lines 2-17)}
 * @param error         the device's answer or the I/O error, e.g. {@code Illegal Data Address (exception 2)}
 * @param failures      polls in a row it failed
 * @param missingSeries the series ({@code path/metric} under the plant) the failure keeps from the broker
 */
public record SourceProblem(String request, String error, long failures, List<String> missingSeries) {

    private static final int NAMED = 3;

    public SourceProblem {
        missingSeries = List.copyOf(missingSeries);
    }

    /** {@code request: error, failed N polls, M series missing: a, b, c, …}, one line. */
    public String line() {
        final StringBuilder out = new StringBuilder(request).append(": ").append(error).append(", failed ")
                .append(failures).append(failures == 1 ? " poll" : " polls in a row").append(", ")
                .append(missingSeries.size()).append(" series missing: ")
                .append(String.join(", ", missingSeries.subList(0, Math.min(NAMED, missingSeries.size()))));
        if (missingSeries.size() > NAMED) {
            out.append(", …");
        }
        return out.toString();
    }
}
