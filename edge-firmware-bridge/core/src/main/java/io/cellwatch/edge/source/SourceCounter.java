package io.cellwatch.edge.source;

import java.util.List;
import java.util.Map;

/**
 * A counter family one kind of source adds to {@code /metrics} beyond its health (e.g. Modbus requests), so the core
 * exports it without knowing the driver. Every sample also carries the {@code source} label.
 *
 * @param name       the family's name without {@code _total}
 * @param help       its help text
 * @param labelNames labels after {@code source}, e.g. {@code node}; empty for one value per source
 * @param values     label values (as many as {@code labelNames}) to the count
 */
public record SourceCounter(String name, String help, List<String> labelNames, Map<List<String>, Long> values) {

    public SourceCounter {
        labelNames = List.copyOf(labelNames);
        values = Map.copyOf(values);
    }

    /** One value per source, no further labels. */
    public static SourceCounter single(final String name, final String help, final long value) {
        return new SourceCounter(name, help, List.of(), Map.of(List.of(), value));
    }
}
