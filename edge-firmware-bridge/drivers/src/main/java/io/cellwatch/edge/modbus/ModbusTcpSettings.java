package io.cellwatch.edge.modbus;

import io.cellwatch.edge.config.SourceSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Modbus TCP device and its register map.
 *
 * @param timeout   per request
 * @param retries   extra attempts of a failed request before the poll counts a read error
 * @param maxGap    unused registers a batched read may span to save a request (0: only adjacent registers)
 * @param registerMap the register map file, for messages
 * @param registers the register map, validated
 */
public record ModbusTcpSettings(String name, String host, int port, Duration timeout, int retries,
                                Duration pollInterval, int maxGap, Path registerMap, List<RegisterSpec> registers)
        implements SourceSettings {

    public ModbusTcpSettings {
        registers = List.copyOf(registers);
    }

    /** The device and how it is asked (the register map names the units). */
    public ModbusTcpLink link() {
        return new ModbusTcpLink(host, port, 1, timeout, retries);
    }
}
