package io.cellwatch.edge.modbus;

import io.cellwatch.edge.config.MetricMapFile;

/**
 * One line of a register map: where a value is on the device, how to decode it, and which metric of which node it
 * becomes. The value published is {@code raw * scale + offset}.
 *
 * @param line       line in the register map file, for messages
 * @param unit       Modbus unit (slave) id
 * @param path       (level, id) pairs under the plant, e.g. {@code racks/r1/packs/k1/cells/1}; empty for the plant
 * @param metric     metric name within that node
 */
public record RegisterSpec(int line, int unit, RegisterFunction function, int address, ValueType type,
                           Endian wordOrder, Endian byteOrder, double scale, double offset, String path,
                           String metric) implements MetricMapFile.Entry {

    /** {@code path/metric} under the plant ({@code metric} alone for the plant node), as logs and status name it. */
    public String series() {
        return path.isEmpty() ? metric : path + "/" + metric;
    }

    /** Registers (or bits) this entry spans. */
    public int width() {
        return type.registers();
    }
}
