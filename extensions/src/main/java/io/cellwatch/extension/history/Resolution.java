package io.cellwatch.extension.history;

/** Which table a history query reads: raw samples, or per-minute or per-hour rollups. */
public enum Resolution {

    RAW("raw", "samples"),
    MINUTE("1m", "rollup_1m"),
    HOUR("1h", "rollup_1h");

    private final String label;
    private final String table;

    Resolution(final String label, final String table) {
        this.label = label;
        this.table = table;
    }

    /**
     * The coarsest resolution that still has several rows per bucket of {@code bucketMs}: raw below a minute, minute
     * rollups below an hour, hour rollups above.
     */
    static Resolution forBucket(final long bucketMs) {
        if (bucketMs < BatchSummary.MINUTE_MS) {
            return RAW;
        }
        return bucketMs < BatchSummary.HOUR_MS ? MINUTE : HOUR;
    }

    /** The name in the API: {@code raw}, {@code 1m} or {@code 1h}. */
    public String label() {
        return label;
    }

    String table() {
        return table;
    }
}
