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
    ZSCORE,
    /** Per cell of a matched pack: its resistance over the pack's median (analytics). */
    RESISTANCE_OUTLIER,
    /** Per matched pack: its measured capacity over its rated capacity (analytics). */
    SOH_BELOW,
    /** Per matched pack: the trend of its daily cell-voltage spread, millivolts per day (analytics). */
    SPREAD_TREND;

    /** The name used in the rules file and JSON: lower case, words joined by {@code -}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the rule judges the analytics of packs its pattern names, not samples of series. */
    public boolean analytics() {
        return this == RESISTANCE_OUTLIER || this == SOH_BELOW || this == SPREAD_TREND;
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
