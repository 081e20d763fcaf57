package io.cellwatch.edge.modbus;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * Turns the raw registers (or bits) of one entry into its scaled value. Stateless and thread-safe.
 *
 * <p>{@code raw * scale + offset} is computed in decimal, not binary: 3308 × 0.001 is 3.308, not
 * 3.3080000000000003, so a value has no more decimals than its raw value, scale and offset imply. A float's raw value
 * is its shortest decimal form (3.671f is 3.671, not 3.6710000038146973).
 */
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
            return scaled(BigDecimal.valueOf(words[from]), spec);
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
        if (spec.bit() >= 0) {
            long raw = 0;
            for (final byte b : bytes) {
                raw = raw << 8 | (b & 0xFF);
            }
            return raw >>> spec.bit() & 1;
        }
        return switch (type) {
            case INT16 -> scaled(BigDecimal.valueOf(buffer.getShort()), spec);
            case UINT16 -> scaled(BigDecimal.valueOf(buffer.getShort() & 0xFFFF), spec);
            case INT32 -> scaled(BigDecimal.valueOf(buffer.getInt()), spec);
            case UINT32 -> scaled(BigDecimal.valueOf(buffer.getInt() & 0xFFFF_FFFFL), spec);
            case FLOAT32 -> {
                final float f = buffer.getFloat();
                yield Float.isFinite(f) ? scaled(new BigDecimal(Float.toString(f)), spec) : f;
            }
            case FLOAT64 -> {
                final double d = buffer.getDouble();
                yield Double.isFinite(d) ? scaled(BigDecimal.valueOf(d), spec) : d;
            }
            case BOOL -> throw new IllegalStateException("handled above");
        };
    }

    private static double scaled(final BigDecimal raw, final RegisterSpec spec) {
        return raw.multiply(BigDecimal.valueOf(spec.scale())).add(BigDecimal.valueOf(spec.offset())).doubleValue();
    }
}
