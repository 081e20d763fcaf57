package io.cellwatch.extension.alerts;

import java.util.Locale;

/** Where an alert is in its lifecycle: raised → acknowledged → cleared; a cleared alert may be raised again. */
public enum AlertState {
    RAISED, ACKNOWLEDGED, CLEARED;

    /** The name used in JSON, topics and history: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code word}, or {@code null}. */
    public static AlertState ofWord(final String word) {
        for (final AlertState state : values()) {
            if (state.word().equals(word)) {
                return state;
            }
        }
        return null;
    }

    /** Raised or acknowledged: its condition still holds. */
    public boolean active() {
        return this != CLEARED;
    }
}
