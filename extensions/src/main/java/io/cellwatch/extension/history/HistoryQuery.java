package io.cellwatch.extension.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads history for charts: a window cut into at most {@code points} equal buckets per series, each bucket reduced
 * to mean, min, max, last and count by DuckDB. The bucket width picks the table (see {@link Resolution}), so a year
 * costs about as much as an hour. Rollup rows belong to the bucket their minute or hour starts in.
 * <p>
 * Thread-safe: each query runs on its own reader connection.
 */
public final class HistoryQuery {

    /** A series to read: its id in the database and the key to answer with. */
    public record SeriesRef(int id, String key) {
    }

    private static final String RAW = "SELECT series_id, (ts_ms - ?) // ? AS i, avg(value), min(value), max(value),"
            + " arg_max(value, ts_ms), count(*) FROM samples WHERE series_id IN (%s) AND ts_ms >= ? AND ts_ms < ?"
            + " GROUP BY series_id, i ORDER BY series_id, i";
    // sum(count) is a HUGEINT in DuckDB; the cast keeps it a plain long for JDBC.
    private static final String ROLLUP = "SELECT series_id, (bucket_ms - ?) // ? AS i, sum(sum) / sum(count),"
            + " min(min), max(max), arg_max(last, last_ts_ms), sum(count)::BIGINT FROM %s"
            + " WHERE series_id IN (%s) AND bucket_ms >= ? AND bucket_ms < ? GROUP BY series_id, i"
            + " ORDER BY series_id, i";

    private final HistoryDatabase db;

    public HistoryQuery(final HistoryDatabase db) {
        this.db = db;
    }

    /**
     * The history of {@code series} in [{@code from}, {@code to}) as at most {@code points} points per series.
     * Series without data in the window come back with no points.
     *
     * @throws IllegalArgumentException if {@code points} < 1 or {@code to} < {@code from}
     */
    public HistoryResult query(final List<SeriesRef> series, final long from, final long to, final int points)
            throws SQLException {
        if (points < 1) {
            throw new IllegalArgumentException("points must be at least 1, got " + points);
        }
        if (to < from) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        // Ceiling, so points * bucket covers the window and no sample lands in a bucket past the last point.
        final long bucket = Math.max(1, Math.floorDiv(to - from + points - 1, points));
        final Resolution resolution = Resolution.forBucket(bucket);
        final Map<Integer, List<HistoryResult.Point>> found =
                series.isEmpty() || to == from ? Map.of() : read(series, from, to, bucket, resolution);
        final List<HistoryResult.SeriesPoints> answer = new ArrayList<>(series.size());
        for (final SeriesRef ref : series) {
            answer.add(new HistoryResult.SeriesPoints(ref.key(), found.getOrDefault(ref.id(), List.of())));
        }
        return new HistoryResult(from, to, bucket, resolution, Collections.unmodifiableList(answer));
    }

    private Map<Integer, List<HistoryResult.Point>> read(final List<SeriesRef> series, final long from,
                                                        final long to, final long bucket,
                                                        final Resolution resolution) throws SQLException {
        final String ids = String.join(",", Collections.nCopies(series.size(), "?"));
        final String sql = resolution == Resolution.RAW
                ? RAW.formatted(ids)
                : ROLLUP.formatted(resolution.table(), ids);
        final Map<Integer, List<HistoryResult.Point>> found = new HashMap<>();
        try (Connection reader = db.readerConnection(); PreparedStatement select = reader.prepareStatement(sql)) {
            int p = 1;
            select.setLong(p++, from);
            select.setLong(p++, bucket);
            for (final SeriesRef ref : series) {
                select.setInt(p++, ref.id());
            }
            select.setLong(p++, from);
            select.setLong(p, to);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.computeIfAbsent(rows.getInt(1), id -> new ArrayList<>()).add(new HistoryResult.Point(
                            from + rows.getLong(2) * bucket, rows.getDouble(3), rows.getDouble(4),
                            rows.getDouble(5), rows.getDouble(6), rows.getLong(7)));
                }
            }
        }
        return found;
    }
}
