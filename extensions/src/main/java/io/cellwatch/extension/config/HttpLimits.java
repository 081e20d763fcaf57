package io.cellwatch.extension.config;

/**
 * What one HTTP request may make the server read or answer.
 *
 * @param maxBodyBytes      the largest request body on any endpoint; larger ones are answered 413
 * @param maxSnapshotSeries the most series one {@code /api/v1/snapshot} answer holds (its {@code limit} default and
 *                          maximum); more are paged with {@code offset}
 */
public record HttpLimits(int maxBodyBytes, int maxSnapshotSeries) {

    public static final String MAX_BODY_BYTES = "http.max-body-bytes";
    public static final String MAX_SNAPSHOT_SERIES = "http.max-snapshot-series";

    /** Bodies up to 1 MiB, snapshots of up to 10,000 series per answer. */
    public static HttpLimits defaults() {
        return new HttpLimits(1024 * 1024, 10_000);
    }

    static HttpLimits from(final ConfigFile file, final ConfigErrors errors) {
        final HttpLimits d = defaults();
        return new HttpLimits(
                file.intValue(MAX_BODY_BYTES, d.maxBodyBytes(), 1_024, 1024 * 1024 * 1024, errors),
                file.intValue(MAX_SNAPSHOT_SERIES, d.maxSnapshotSeries(), 1, 10_000_000, errors));
    }
}
