package io.cellwatch.extension.alerts;

/** Which side of the threshold is bad. */
public enum Comparison {
    /** {@code >}: bad above the trigger, good again at or below the clear level. */
    ABOVE(">"),
    /** {@code <}: bad below the trigger, good again at or above the clear level. */
    BELOW("<");

    private final String symbol;

    Comparison(final String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    static Comparison ofSymbol(final String symbol) {
        for (final Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return c;
            }
        }
        return null;
    }

    /** Whether {@code value} is past {@code trigger} on the bad side. */
    boolean raises(final double value, final double trigger) {
        return this == ABOVE ? value > trigger : value < trigger;
    }

    /** Whether {@code value} is back at or beyond {@code clear} on the good side. */
    boolean clears(final double value, final double clear) {
        return this == ABOVE ? value <= clear : value >= clear;
    }

    /** Whether {@code clear} lies on the good side of (or at) {@code trigger}. */
    boolean validClear(final double trigger, final double clear) {
        return this == ABOVE ? clear <= trigger : clear >= trigger;
    }
}
