package io.cellwatch.extension.config;

/**
 * What one HTTP request may make the server read or answer.
 *
 * @param maxBodyBytes      the largest request body on any endpoint; larger ones are answered 413
 * @param maxSnapshotSeries the most series one {@code /api/v1/snapshot} answer holds (its {@code limit} default and
 *                          maximum); more are paged with {@code offset}
 * @param maxExportRows     the most rows one {@code /api/v1/export} download holds; more are answered 422
 */
public record HttpLimits(int maxBodyBytes, int maxSnapshotSeries, int maxExportRows) {

    public static final String MAX_BODY_BYTES = "http.max-body-bytes";
    public static final String MAX_SNAPSHOT_SERIES = "http.max-snapshot-series";
    public static final String MAX_EXPORT_ROWS = "http.max-export-rows";

    /** Bodies up to 1 MiB, snapshots of up to 10,000 series per answer, exports of up to 1,000,000 rows. */
    public static HttpLimits defaults() {
        return new HttpLimits(1024 * 1024, 10_000, 1_000_000);
    }

    /** These limits with exports of up to {@code rows} rows. */
    public HttpLimits withMaxExportRows(final int rows) {
        return new HttpLimits(maxBodyBytes, maxSnapshotSeries, rows);
    }

    static HttpLimits from(final ConfigFile file, final ConfigErrors errors) {
        final HttpLimits d = defaults();
        return new HttpLimits(
                file.intValue(MAX_BODY_BYTES, d.maxBodyBytes(), 1_024, 1024 * 1024 * 1024, errors),
                file.intValue(MAX_SNAPSHOT_SERIES, d.maxSnapshotSeries(), 1, 10_000_000, errors),
                file.intValue(MAX_EXPORT_ROWS, d.maxExportRows(), 1, 100_000_000, errors));
    }
}
