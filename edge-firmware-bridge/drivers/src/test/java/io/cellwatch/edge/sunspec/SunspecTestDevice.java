package io.cellwatch.edge.sunspec;

import com.ghgande.j2mod.modbus.ModbusSlaveException;
import io.cellwatch.edge.modbus.RegisterDiscovery.RegisterReader;
import io.cellwatch.edge.modbus.RegisterFunction;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A SunSpec device's holding registers, encoded from the model JSON (the same {@code model_N.json} the gateway
 * reads): the {@code SunS} marker at a base, models appended with given raw values, and the end marker. Points given
 * no value hold SunSpec's "not implemented" value for their type. Shared with the broker's SunSpec IT (test jar).
 */
public final class SunspecTestDevice {

    private int[] words = new int[0];
    private final int base;
    private int next;

    /** A device whose map starts at {@code base} (the marker there). */
    public SunspecTestDevice(final int base) {
        this.base = base;
        put(base, SunspecChain.MARKER_HIGH);
        put(base + 1, SunspecChain.MARKER_LOW);
        next = base + 2;
    }

    public int base() {
        return base;
    }

    /**
     * Appends model {@code id} with {@code repeats} repeating blocks; {@code fixed} gives raw values of the fixed
     * block's points by name (a uint32 or bitfield32 as one long, a string as text), {@code block} those of block
     * {@code i} (from 0). Returns the model's address.
     */
    public int add(final int id, final int repeats, final Map<String, ?> fixed,
                   final IntFunction<Map<String, ?>> block) {
        final SunspecModel model = SunspecModelJson.resource(id);
        final int address = next;
        final int groupLength = model.repeating() == null ? 0 : model.repeating().length();
        final int length = model.fixedLength() - 2 + repeats * groupLength;
        for (final SunspecModel.Point point : model.points()) {
            write(address + point.offset(), point, fixed.get(point.name()));
        }
        put(address, id);
        put(address + 1, length);
        for (int i = 0; i < repeats; i++) {
            final Map<String, ?> values = block.apply(i);
            for (final SunspecModel.Point point : model.repeating().points()) {
                write(address + model.fixedLength() + i * groupLength + point.offset(), point,
                        values.get(point.name()));
            }
        }
        next = address + 2 + length;
        return address;
    }

    /** Appends a model the gateway has no definition of: its header and {@code length} registers of zeros. */
    public int addUnknown(final int id, final int length) {
        final int address = next;
        put(address, id);
        put(address + 1, length);
        put(address + 1 + length, 0);
        next = address + 2 + length;
        return address;
    }

    /** Appends the end marker (0xFFFF, length 0); the device's registers end after it. */
    public SunspecTestDevice end() {
        put(next, SunspecChain.END);
        put(next + 1, 0);
        next += 2;
        return this;
    }

    /** Overwrites one register (to break the map). */
    public void put(final int address, final int word) {
        if (address >= words.length) {
            words = Arrays.copyOf(words, address + 1);
        }
        words[address] = word & 0xFFFF;
    }

    /** Registers 0 up to the last one written; reads past them are refused. */
    public int[] registers() {
        return words.clone();
    }

    /** Reads as a device would: {@code Illegal Data Address} past the last register. */
    public RegisterReader reader() {
        return (unit, function, start, count) -> {
            if (function != RegisterFunction.HOLDING || start + count > words.length) {
                throw new ModbusSlaveException(2);
            }
            return Arrays.copyOfRange(words, start, start + count);
        };
    }

    private void write(final int address, final SunspecModel.Point point, final Object value) {
        switch (point.type()) {
            case "string" -> {
                final String text = value == null ? "" : value.toString();
                for (int i = 0; i < point.size(); i++) {
                    final int high = 2 * i < text.length() ? text.charAt(2 * i) : 0;
                    final int low = 2 * i + 1 < text.length() ? text.charAt(2 * i + 1) : 0;
                    put(address + i, high << 8 | low);
                }
            }
            case "uint32", "int32", "bitfield32", "acc32", "enum32" -> {
                final long raw = value == null ? 0xFFFF_FFFFL : ((Number) value).longValue();
                put(address, (int) (raw >>> 16));
                put(address + 1, (int) raw);
            }
            case "int16", "sunssf", "pad" -> put(address, value == null ? 0x8000 : ((Number) value).intValue());
            default -> {
                for (int i = 0; i < point.size(); i++) {
                    put(address + i, value == null ? 0xFFFF : ((Number) value).intValue());
                }
            }
        }
    }
}
