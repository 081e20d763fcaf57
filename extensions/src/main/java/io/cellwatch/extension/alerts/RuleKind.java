package io.cellwatch.extension.alerts;

import java.util.Locale;

/** What a rule judges about the series its pattern matches. */
public enum RuleKind {
    /** Each sample's value. */
    THRESHOLD,
    /** Change per second between a series' consecutive samples (device time). */
    RATE,
    /** Seconds since a series' newest sample arrived. */
    STALE,
    /** A function (spread, min, max, mean) of the latest values of a node's children's series. */
    AGGREGATE,
    /** How many standard deviations a sample lies from the mean of the series' own previous samples. */
    ZSCORE;

    /** The name used in the rules file and JSON: lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RuleKind ofWord(final String word) {
        for (final RuleKind kind : values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        return null;
    }
}
