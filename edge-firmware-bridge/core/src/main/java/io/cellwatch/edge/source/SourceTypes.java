package io.cellwatch.edge.source;

import io.cellwatch.edge.config.ConfigException;
import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.config.GatewayConfigParser;
import io.cellwatch.edge.config.SourceSectionReader;
import io.cellwatch.edge.config.SourceSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The source types one program runs, in the order a bad {@code type} lists them. Immutable. */
public final class SourceTypes {

    private final List<SourceType<?>> types;

    private SourceTypes(final List<SourceType<?>> types) {
        this.types = List.copyOf(types);
    }

    public static SourceTypes of(final SourceType<?>... types) {
        return new SourceTypes(List.of(types));
    }

    /** What the core runs on its own: the simulator (the server's {@code --demo}, the benchmarks). */
    public static SourceTypes core() {
        return of(SimulatorSource.TYPE);
    }

    /** Each type's section reader by its {@code type} value, in order. */
    public Map<String, SourceSectionReader> readers() {
        final Map<String, SourceSectionReader> readers = new LinkedHashMap<>();
        types.forEach(type -> readers.put(type.name(), type.reader()));
        return readers;
    }

    /** Reads and validates {@code file} with these types' section readers. */
    public GatewayConfig parse(final Path file) throws ConfigException {
        return GatewayConfigParser.parse(file, readers());
    }

    /** Opens the source {@code settings} describe, with the type that reads them. */
    public Source open(final SourceSettings settings, final GatewayConfig gateway, final Clock clock)
            throws Exception {
        for (final SourceType<?> type : types) {
            if (type.settings().isInstance(settings)) {
                return type.open(settings, gateway, clock);
            }
        }
        throw new IllegalArgumentException("no source type for " + settings.getClass().getSimpleName());
    }
}
