package io.cellwatch.edge.modbus;

import java.nio.ByteBuffer;

/** Turns the raw registers (or bits) of one entry into its scaled value. Stateless and thread-safe. */
public final class RegisterDecoder {

    private RegisterDecoder() {
    }

    /**
     * The value of {@code spec}, whose first register is {@code words[from]}; each word holds 16 bits (0..65535), or
     * 0/1 for coils and discrete inputs.
     */
    public static double decode(final RegisterSpec spec, final int[] words, final int from) {
        final ValueType type = spec.type();
        if (type == ValueType.BOOL) {
            return words[from] * spec.scale() + spec.offset();
        }
        final int n = type.registers();
        final byte[] bytes = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            final int word = words[from + (spec.wordOrder() == Endian.BIG ? i : n - 1 - i)];
            final byte high = (byte) (word >>> 8);
            final byte low = (byte) word;
            bytes[2 * i] = spec.byteOrder() == Endian.BIG ? high : low;
            bytes[2 * i + 1] = spec.byteOrder() == Endian.BIG ? low : high;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final double raw = switch (type) {
            case INT16 -> buffer.getShort();
            case UINT16 -> buffer.getShort() & 0xFFFF;
            case INT32 -> buffer.getInt();
            case UINT32 -> buffer.getInt() & 0xFFFF_FFFFL;
            case FLOAT32 -> buffer.getFloat();
            case FLOAT64 -> buffer.getDouble();
            case BOOL -> throw new IllegalStateException("handled above");
        };
        return raw * spec.scale() + spec.offset();
    }
}
