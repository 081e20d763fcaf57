package io.cellwatch.edge.sunspec;

import io.cellwatch.edge.config.SourceSection;
import io.cellwatch.edge.modbus.ModbusTcpLink;

/** Reads {@code type = sunspec} sections: the Modbus TCP keys ({@code host}, {@code port}, {@code unit}, …). */
final class SunspecSectionReader {

    private SunspecSectionReader() {
    }

    static SunspecSettings read(final SourceSection section) {
        return new SunspecSettings(section.name(), ModbusTcpLink.read(section.reader(), true),
                section.pollInterval());
    }
}
