package io.cellwatch.edge.modbus;

/** How the registers of one entry make a number. */
public enum ValueType {
    BOOL("bool", 1), INT16("int16", 1), UINT16("uint16", 1), INT32("int32", 2), UINT32("uint32", 2),
    FLOAT32("float32", 2), FLOAT64("float64", 4);

    private final String word;
    private final int registers;

    ValueType(final String word, final int registers) {
        this.word = word;
        this.registers = registers;
    }

    public String word() {
        return word;
    }

    /** 16-bit registers the value spans (1 bit for {@link #BOOL}). */
    public int registers() {
        return registers;
    }

    static ValueType of(final String word) {
        for (final ValueType t : values()) {
            if (t.word.equals(word)) {
                return t;
            }
        }
        return null;
    }
}
