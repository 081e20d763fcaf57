package io.cellwatch.edge.sunspec;

import com.ghgande.j2mod.modbus.ModbusSlaveException;
import io.cellwatch.edge.modbus.ModbusErrors;
import io.cellwatch.edge.modbus.RegisterDiscovery.RegisterReader;
import io.cellwatch.edge.modbus.RegisterFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Finds a device's SunSpec models: the {@code SunS} marker in holding registers at 40000, 0 or 50000 (in that order,
 * 40000 being the convention), then the chain of models after it, each a header (model id, length) and its length in
 * registers, up to the end marker (id 0xFFFF). Reads each model's registers whole, for discovery to map.
 */
public final class SunspecChain {

    /** {@code SunS} in two registers. */
    public static final int MARKER_HIGH = 0x5375;
    public static final int MARKER_LOW = 0x6e53;
    /** Where a SunSpec device may start its map, in the order they are tried. */
    public static final List<Integer> BASES = List.of(40_000, 0, 50_000);
    public static final int END = 0xFFFF;
    private static final int MAX_READ = RegisterFunction.HOLDING.maxPerRead();

    /**
     * One model on the device.
     *
     * @param address its first register (the model id)
     * @param length  registers after the header, as the device says
     * @param words   the whole model, header included ({@code words[0]} is the id, {@code words[1]} the length)
     */
    public record Block(int id, int address, int length, int[] words) {
    }

    /**
     * @param base   where the marker is
     * @param blocks the models, in chain order
     */
    public record Found(int base, List<Block> blocks) {

        public Found {
            blocks = List.copyOf(blocks);
        }
    }

    private SunspecChain() {
    }

    /**
     * Walks the chain of {@code unit}, reading the registers of the models {@code wanted} (the others keep only
     * their header); throws {@link SunspecException} naming where and why the chain is broken, and what the reader
     * throws when the device cannot be read at all.
     */
    public static Found walk(final RegisterReader device, final int unit, final IntPredicate wanted)
            throws Exception {
        final int base = marker(device, unit);
        final List<Block> blocks = new ArrayList<>();
        int address = base + 2;
        Block previous = null;
        while (true) {
            if (address + 2 > 65_536) {
                throw new SunspecException("SunSpec model chain at base " + base + " of unit " + unit
                        + " has no end marker (0xFFFF) before register 65535" + after(previous));
            }
            final int[] header;
            try {
                header = device.read(unit, RegisterFunction.HOLDING, address, 2);
            } catch (final ModbusSlaveException answer) {
                throw new SunspecException("SunSpec model chain at base " + base + " of unit " + unit
                        + " is broken: the model header at " + address + " reads " + ModbusErrors.describe(answer)
                        + after(previous) + "; the chain must end with the marker 0xFFFF");
            }
            if (header[0] == END) {
                return new Found(base, blocks);
            }
            final int length = header[1];
            if (address + 2 + length > 65_536) {
                throw new SunspecException("SunSpec model " + header[0] + " at " + address + " (base " + base
                        + ", unit " + unit + ") says length " + length + ", which runs past register 65535");
            }
            final Block block = new Block(header[0], address, length, wanted.test(header[0])
                    ? body(device, unit, base, address, header) : header);
            blocks.add(block);
            previous = block;
            address += 2 + length;
        }
    }

    private static String after(final Block previous) {
        return previous == null ? " (the first model)" : " (after model " + previous.id() + " at " + previous.address()
                + " with length " + previous.length() + ": that length may run past the device's registers)";
    }

    private static int marker(final RegisterReader device, final int unit) throws Exception {
        final List<String> seen = new ArrayList<>();
        for (final int base : BASES) {
            try {
                final int[] words = device.read(unit, RegisterFunction.HOLDING, base, 2);
                if (words[0] == MARKER_HIGH && words[1] == MARKER_LOW) {
                    return base;
                }
                seen.add(base + ": " + String.format("0x%04x 0x%04x", words[0], words[1]));
            } catch (final ModbusSlaveException answer) {
                seen.add(base + ": " + ModbusErrors.describe(answer));
            }
        }
        throw new SunspecException("no SunSpec marker 'SunS' (0x53756e53) in the holding registers of unit " + unit
                + " at 40000, 0 or 50000 (" + String.join("; ", seen) + "): not a SunSpec device, or another unit id");
    }

    private static int[] body(final RegisterReader device, final int unit, final int base, final int address,
                              final int[] header) throws Exception {
        final int[] words = new int[2 + header[1]];
        words[0] = header[0];
        words[1] = header[1];
        for (int from = 2; from < words.length; from += MAX_READ) {
            final int count = Math.min(MAX_READ, words.length - from);
            final int[] part;
            try {
                part = device.read(unit, RegisterFunction.HOLDING, address + from, count);
            } catch (final ModbusSlaveException answer) {
                throw new SunspecException("SunSpec model " + header[0] + " at " + address + " (base " + base
                        + ", unit " + unit + ") with length " + header[1] + ": registers " + (address + from) + "+"
                        + count + " (offset " + from + ") read " + ModbusErrors.describe(answer)
                        + "; its length runs past the device's registers");
            }
            System.arraycopy(part, 0, words, from, count);
        }
        return words;
    }
}
