package io.cellwatch.extension.probe;

import io.cellwatch.extension.history.HistoryDatabase;
import org.duckdb.DuckDBConnection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads what DuckDB has committed for one series: the {@code seq} of its row in {@code latest}, which the history
 * writer updates in the same transaction as the samples. One reader connection, opened on first use and reopened
 * after a failure. Not thread-safe: owned by the probe thread.
 */
final class HistoryCommits implements AutoCloseable {

    private final HistoryDatabase database;
    private DuckDBConnection connection;
    private PreparedStatement latestSeq;

    HistoryCommits(final HistoryDatabase database) {
        this.database = database;
    }

    /** The highest committed {@code seq} of series {@code seriesId}, or -1 if none is committed yet. */
    long committedSeq(final int seriesId) throws SQLException {
        try {
            if (latestSeq == null) {
                connection = database.readerConnection();
                latestSeq = connection.prepareStatement("SELECT coalesce(seq, -1) FROM latest WHERE series_id = ?");
            }
            latestSeq.setInt(1, seriesId);
            try (ResultSet rows = latestSeq.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        } catch (final SQLException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (latestSeq != null) {
                latestSeq.close();
            }
            if (connection != null) {
                connection.close();
            }
        } catch (final SQLException e) {
            // Closing a reader of a database being closed: nothing to keep.
        } finally {
            latestSeq = null;
            connection = null;
        }
    }
}
