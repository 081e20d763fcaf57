package io.cellwatch.extension.alerts;

import java.util.Locale;

/** What an aggregate rule computes over the latest values of a node's children. */
public enum Aggregate {
    /** Largest minus smallest: a pack's cell imbalance. */
    SPREAD,
    MIN,
    MAX,
    MEAN;

    /** The name used in the rules file: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Aggregate ofWord(final String word) {
        for (final Aggregate aggregate : values()) {
            if (aggregate.word().equals(word)) {
                return aggregate;
            }
        }
        return null;
    }
}
