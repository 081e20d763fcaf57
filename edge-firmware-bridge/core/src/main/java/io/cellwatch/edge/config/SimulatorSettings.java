package io.cellwatch.edge.config;

import java.time.Duration;

/** Simulated battery cells for demos: racks × packs × cells, each publishing voltage, temperature and soc. */
public record SimulatorSettings(String name, Duration pollInterval, int racks, int packs, int cells, long seed)
        implements SourceSettings {
}
