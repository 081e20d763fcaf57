package io.cellwatch.edge.modbus;

import io.cellwatch.edge.config.MetricMapFile;

/**
 * One line of a register map: where a value is on the device, how to decode it, and which metric of which node it
 * becomes. The value published is {@code raw * scale + offset}, or with {@code bit} set, that bit of the raw value
 * (0 or 1: one event of a SunSpec bitfield).
 *
 * @param line       line in the register map file, for messages
 * @param unit       Modbus unit (slave) id
 * @param path       (level, id) pairs under the plant, e.g. {@code racks/r1/packs/k1/cells/1}; empty for the plant
 * @param metric     metric name within that node
 * @param bit        -1 for the whole value; else the bit, from the least significant, of the unsigned raw value
 */
public record RegisterSpec(int line, int unit, RegisterFunction function, int address, ValueType type,
                           Endian wordOrder, Endian byteOrder, double scale, double offset, String path,
                           String metric, int bit) implements MetricMapFile.Entry {

    /** An entry for the whole value, as a register map line gives it. */
    public RegisterSpec(final int line, final int unit, final RegisterFunction function, final int address,
                        final ValueType type, final Endian wordOrder, final Endian byteOrder, final double scale,
                        final double offset, final String path, final String metric) {
        this(line, unit, function, address, type, wordOrder, byteOrder, scale, offset, path, metric, -1);
    }

    /** {@code path/metric} under the plant ({@code metric} alone for the plant node), as logs and status name it. */
    public String series() {
        return path.isEmpty() ? metric : path + "/" + metric;
    }

    /** Registers (or bits) this entry spans. */
    public int width() {
        return type.registers();
    }
}
