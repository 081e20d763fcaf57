package io.cellwatch.edge.config;

import java.time.Duration;

/** Simulated battery cells for demos: racks × packs × cells, each publishing voltage, temperature and soc. */
public record SimulatorSettings(String name, Duration pollInterval, int racks, int packs, int cells, long seed)
        implements SourceSettings {

    /** Reads a {@code type = simulator} section. */
    public static SimulatorSettings read(final SourceSection section) {
        final SectionReader reader = section.reader();
        return new SimulatorSettings(section.name(), section.pollInterval(),
                reader.integer("racks", 1, 1, 64), reader.integer("packs", 2, 1, 64),
                reader.integer("cells", 16, 1, 1024), reader.integer("seed", 42, 0, Integer.MAX_VALUE));
    }
}
