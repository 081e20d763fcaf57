package io.cellwatch.extension.history;

import io.cellwatch.extension.analytics.CellReport;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.analytics.ResistanceEstimate;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Appends pack reports to {@code analytics_packs} and {@code analytics_cells}, each batch in one transaction, on a
 * connection of its own (no other writer touches these tables), and deletes old ones. Not thread-safe: for one
 * thread, which must also close it (DuckDB Appenders are confined to the thread that made them).
 */
public final class AnalyticsSnapshotWriter implements AutoCloseable {

    private final DuckDBConnection connection;

    public AnalyticsSnapshotWriter(final HistoryDatabase db) throws SQLException {
        this.connection = db.sideWriterConnection();
        try {
            connection.setAutoCommit(false);
        } catch (final SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Stores {@code reports}, pack rows and cell rows together or not at all; rethrows after a rollback. */
    public void write(final List<PackReport> reports) throws SQLException {
        if (reports.isEmpty()) {
            return;
        }
        try {
            // A statement first: the driver sends BEGIN lazily before the next JDBC statement, and an Appender used
            // before any statement would commit on its own (AppenderTransactionTest).
            try (Statement begin = connection.createStatement()) {
                begin.execute("SELECT 1");
            }
            try (DuckDBAppender packs = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "analytics_packs");
                 DuckDBAppender cells = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "analytics_cells")) {
                for (final PackReport report : reports) {
                    appendPack(packs, report);
                    for (int i = 0; i < report.cells().size(); i++) {
                        appendCell(cells, report, i);
                    }
                }
                packs.flush();
                cells.flush();
            }
            connection.commit();
        } catch (final SQLException | RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    /** Deletes every snapshot taken before {@code atMs}; returns the pack snapshots deleted. */
    public long deleteBefore(final long atMs) throws SQLException {
        try {
            final long packs = delete("DELETE FROM analytics_packs WHERE at_ms < ?", atMs);
            delete("DELETE FROM analytics_cells WHERE at_ms < ?", atMs);
            connection.commit();
            return packs;
        } catch (final SQLException | RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    private long delete(final String sql, final long before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setLong(1, before);
            return delete.executeLargeUpdate();
        }
    }

    private static void appendPack(final DuckDBAppender appender, final PackReport r) throws SQLException {
        appender.beginRow().append(r.tenant()).append(r.pack()).append(r.at()).append(r.samples()).append(r.steps());
        orNull(appender, r.medianOhms());
        orNull(appender, r.capacityAh());
        appender.append(r.capacitySwings());
        orNull(appender, r.ampHours());
        orNull(appender, r.fullCycles());
        orNull(appender, r.spreadTrendVoltsPerDay());
        appender.append(r.dischargeEnds()).endRow();
    }

    private static void appendCell(final DuckDBAppender appender, final PackReport pack, final int position)
            throws SQLException {
        final CellReport cell = pack.cells().get(position);
        appender.beginRow().append(pack.tenant()).append(pack.pack()).append(pack.at()).append(position)
                .append(cell.cell());
        final ResistanceEstimate r = cell.resistance();
        if (r == null) {
            appender.appendNull().appendNull().appendNull().appendNull();
        } else {
            orNull(appender, r.ohms());
            orNull(appender, r.spreadOhms());
            appender.append(r.steps());
            orNull(appender, r.ratioToPackMedian());
        }
        appender.append(cell.bottoms()).endRow();
    }

    /** NULL for a figure not known yet (NaN): DuckDB would store NaN, which SQL users do not expect. */
    private static void orNull(final DuckDBAppender appender, final double value) throws SQLException {
        if (Double.isFinite(value)) {
            appender.append(value);
        } else {
            appender.appendNull();
        }
    }

    private void rollback(final Exception cause) {
        try {
            connection.rollback();
        } catch (final SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
