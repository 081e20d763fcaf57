package io.cellwatch.extension.history;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads the raw samples of every series at or under a path for export, ordered by series key then device time, and
 * hands them to a {@link Sink} one at a time as DuckDB streams them: nothing is collected in memory. The rows are
 * counted first, in the same transaction, so an export over the limit is refused before its first byte and an
 * accepted one holds exactly the counted rows even while samples keep arriving.
 * <p>
 * Thread-safe: each export runs on its own reader connection.
 */
public final class HistoryExport {

    /** Receives the rows of one export. */
    public interface Sink {
        /** Called once, before any row, with how many rows follow. */
        void begin(long rows) throws IOException;

        /** One sample; {@code seq} is {@code null} when the gateway sent none. */
        void row(String series, long tsMs, double value, Long seq, long receivedMs) throws IOException;
    }

    /** The window holds more rows than allowed; nothing was handed to the sink. */
    public static final class TooManyRows extends Exception {
        private final long rows;

        TooManyRows(final long rows) {
            super(rows + " rows");
            this.rows = rows;
        }

        /** How many rows the export would have had. */
        public long rows() {
            return rows;
        }
    }

    // The series is the path itself or under it; starts_with rather than LIKE: levels may hold '_' and '%'.
    private static final String WHERE = " FROM samples x JOIN series s ON s.id = x.series_id"
            + " WHERE (s.key = ? OR starts_with(s.key, ?)) AND NOT starts_with(s.key, ?)"
            + " AND x.ts_ms >= ? AND x.ts_ms < ?";
    private static final String COUNT = "SELECT count(*)" + WHERE;
    private static final String ROWS = "SELECT s.key, x.ts_ms, x.value, x.seq, x.received_ms" + WHERE
            + " ORDER BY s.key, x.ts_ms, x.received_ms";

    private final HistoryDatabase db;

    public HistoryExport(final HistoryDatabase db) {
        this.db = db;
    }

    /**
     * Exports the samples in [{@code from}, {@code to}) of every series whose key is {@code path} or lies under it
     * ({@code ""}: every series), leaving out keys under {@code hidden} (a path prefix ending in {@code /}).
     *
     * @return the number of rows handed to {@code sink}
     * @throws TooManyRows if there are more than {@code maxRows}; then {@code sink} was not called
     * @throws IOException  what {@code sink} threw (a client gone mid-download)
     */
    public long export(final String path, final String hidden, final long from, final long to, final long maxRows,
                       final Sink sink) throws SQLException, IOException, TooManyRows {
        final String under = path.isEmpty() ? "" : path + "/";
        try (Connection reader = db.readerConnection()) {
            try (Statement set = reader.createStatement()) {
                // Without this the driver materialises the whole result before the first row.
                set.execute("SET jdbc_stream_results = true");
            }
            // One snapshot for the count and the rows.
            reader.setAutoCommit(false);
            try {
                final long rows = count(reader, path, under, hidden, from, to);
                if (rows > maxRows) {
                    throw new TooManyRows(rows);
                }
                sink.begin(rows);
                return stream(reader, path, under, hidden, from, to, sink);
            } finally {
                reader.rollback();
            }
        }
    }

    private static long count(final Connection reader, final String path, final String under, final String hidden,
                              final long from, final long to) throws SQLException {
        try (PreparedStatement select = prepare(reader, COUNT, path, under, hidden, from, to);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long stream(final Connection reader, final String path, final String under, final String hidden,
                               final long from, final long to, final Sink sink) throws SQLException, IOException {
        long written = 0;
        try (PreparedStatement select = prepare(reader, ROWS, path, under, hidden, from, to);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                final long seq = rows.getLong(4);
                final Long seqOrNull = rows.wasNull() ? null : seq;
                sink.row(rows.getString(1), rows.getLong(2), rows.getDouble(3), seqOrNull, rows.getLong(5));
                written++;
            }
        }
        return written;
    }

    private static PreparedStatement prepare(final Connection reader, final String sql, final String path,
                                             final String under, final String hidden, final long from,
                                             final long to) throws SQLException {
        final PreparedStatement select = reader.prepareStatement(sql);
        select.setString(1, path);
        select.setString(2, under);
        select.setString(3, hidden);
        select.setLong(4, from);
        select.setLong(5, to);
        return select;
    }
}
