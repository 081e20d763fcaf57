package io.cellwatch.edge.modbus;

import io.cellwatch.edge.config.SectionReader;
import io.cellwatch.edge.config.SourceSection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Reads {@code type = modbus-tcp} and {@code type = modbus-rtu} sections and the register maps they name. */
final class ModbusSectionReader {

    private ModbusSectionReader() {
    }

    static ModbusTcpSettings tcp(final SourceSection section) {
        final SectionReader reader = section.reader();
        final ModbusTcpLink link = ModbusTcpLink.read(reader, false);
        final int maxGap = reader.integer("max-gap", 0, 0, 100);
        return new ModbusTcpSettings(section.name(), link.host(), link.port(), link.timeout(), link.retries(),
                section.pollInterval(), maxGap, reader.path("register-map", null), registers(reader));
    }

    static ModbusRtuSettings rtu(final SourceSection section) {
        final SectionReader reader = section.reader();
        final String port = reader.required("serial-port");
        final int baud = reader.integer("baud", 9600, 300, 4_000_000);
        final String parity = reader.oneOf("parity", "even", "none", "even", "odd");
        final int dataBits = reader.integer("data-bits", 8, 5, 8);
        final String stopBits = reader.oneOf("stop-bits", "1", "1", "1.5", "2");
        final Duration timeout = reader.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(10));
        final int retries = reader.integer("retries", 1, 0, 10);
        final int maxGap = reader.integer("max-gap", 0, 0, 100);
        return new ModbusRtuSettings(section.name(), port, baud, parity, dataBits, stopBits, timeout, retries,
                section.pollInterval(), maxGap, reader.path("register-map", null), registers(reader));
    }

    private static List<RegisterSpec> registers(final SectionReader reader) {
        final Path map = reader.path("register-map", null);
        if (map == null) {
            reader.required("register-map");
            return List.of();
        }
        return RegisterMapParser.parse(map, reader.problems());
    }
}
