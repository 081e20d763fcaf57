package io.cellwatch.edge.modbus;

/** The Modbus table a register map entry reads, with the most one request may read of it. */
public enum RegisterFunction {
    /** Function 3, read holding registers. */
    HOLDING("holding", false, 125),
    /** Function 4, read input registers. */
    INPUT("input", false, 125),
    /** Function 1, read coils. */
    COIL("coil", true, 2000),
    /** Function 2, read discrete inputs. */
    DISCRETE("discrete", true, 2000);

    private final String word;
    private final boolean bits;
    private final int maxPerRead;

    RegisterFunction(final String word, final boolean bits, final int maxPerRead) {
        this.word = word;
        this.bits = bits;
        this.maxPerRead = maxPerRead;
    }

    /** The name in a register map. */
    public String word() {
        return word;
    }

    /** True for coils and discrete inputs (one bit each), false for 16-bit registers. */
    public boolean bits() {
        return bits;
    }

    /** Registers or bits one request may read (Modbus application protocol limits). */
    public int maxPerRead() {
        return maxPerRead;
    }

    static RegisterFunction of(final String word) {
        for (final RegisterFunction f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        return null;
    }
}
