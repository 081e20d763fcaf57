package io.cellwatch.edge.sunspec;

import io.cellwatch.edge.config.SourceSettings;
import io.cellwatch.edge.modbus.ModbusTcpLink;

import java.time.Duration;

/** A SunSpec device over Modbus TCP: no register map, its models are found on the device. */
public record SunspecSettings(String name, ModbusTcpLink link, Duration pollInterval) implements SourceSettings {
}
