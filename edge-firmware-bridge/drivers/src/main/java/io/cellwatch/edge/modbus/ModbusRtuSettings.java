package io.cellwatch.edge.modbus;

import io.cellwatch.edge.config.SourceSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Modbus RTU devices on one serial line and their register map (each row names its unit id).
 *
 * @param port      the serial device, e.g. {@code /dev/ttyUSB0}
 * @param parity    none, even or odd
 * @param stopBits  1, 1.5 or 2
 * @param timeout   per request
 * @param retries   extra attempts of a failed request before the poll counts a read error
 * @param maxGap    unused registers a batched read may span to save a request (0: only adjacent registers)
 * @param registerMap the register map file, for messages
 * @param registers the register map, validated
 */
public record ModbusRtuSettings(String name, String port, int baud, String parity, int dataBits, String stopBits,
                                Duration timeout, int retries, Duration pollInterval, int maxGap, Path registerMap,
                                List<RegisterSpec> registers) implements SourceSettings {

    public ModbusRtuSettings {
        registers = List.copyOf(registers);
    }
}
