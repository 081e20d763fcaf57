package io.cellwatch.extension.history;

import org.duckdb.DuckDBConnection;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Deletes history past its retention: raw samples older than {@code rawDays}, minute and hour rollups older than
 * {@code rollupDays}, by device time. Series, gateways, latest values and the checkpoint are kept. Runs on the
 * writer connection in its own transaction, so call it from the writer thread between writes.
 */
public final class Retention {

    /** Rows deleted by one {@link #enforce} run. */
    public record Deleted(long samples, long minuteRollups, long hourRollups) {
    }

    private final HistoryDatabase db;
    private final long rawMs;
    private final long rollupMs;

    /** @throws IllegalArgumentException if either retention is below one day */
    public Retention(final HistoryDatabase db, final int rawDays, final int rollupDays) {
        if (rawDays < 1 || rollupDays < 1) {
            throw new IllegalArgumentException(
                    "retention must be at least 1 day, got raw " + rawDays + ", rollup " + rollupDays);
        }
        this.db = db;
        this.rawMs = TimeUnit.DAYS.toMillis(rawDays);
        this.rollupMs = TimeUnit.DAYS.toMillis(rollupDays);
    }

    /** Deletes every row older than its retention at {@code nowMs} (epoch ms); rolled back and rethrown on failure. */
    public Deleted enforce(final long nowMs) throws SQLException {
        final DuckDBConnection connection = db.writerConnection();
        try {
            final Deleted deleted = new Deleted(
                    delete(connection, "DELETE FROM samples WHERE ts_ms < ?", nowMs - rawMs),
                    delete(connection, "DELETE FROM rollup_1m WHERE bucket_ms < ?", nowMs - rollupMs),
                    delete(connection, "DELETE FROM rollup_1h WHERE bucket_ms < ?", nowMs - rollupMs));
            connection.commit();
            return deleted;
        } catch (final SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (final SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static long delete(final DuckDBConnection connection, final String sql, final long before)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setLong(1, before);
            return delete.executeLargeUpdate();
        }
    }
}
