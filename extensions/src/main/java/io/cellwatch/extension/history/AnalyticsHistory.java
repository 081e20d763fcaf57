package io.cellwatch.extension.history;

import io.cellwatch.extension.analytics.CellReport;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.analytics.ResistanceEstimate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the stored analytics snapshots ({@code analytics_packs}, {@code analytics_cells}): a pack's or a cell's over
 * a window, oldest first, and every pack's latest (to answer after a restart). A stored pack report has no
 * {@code days}, {@code spreadDays} or {@code spreadHours}; a figure stored as NULL reads as NaN. Thread-safe: each query runs on its own
 * reader connection.
 */
public final class AnalyticsHistory {

    /** One cell's figures in the snapshot of its pack taken at {@code at}. */
    public record CellSnapshot(long at, CellReport cell) {
    }

    /** At most {@code limit} rows, and whether the window holds more. */
    public record Page<T>(List<T> rows, boolean more) {
    }

    private static final String PACK_COLUMNS = "pack, tenant, at_ms, samples, steps, median_ohms, capacity_ah,"
            + " capacity_swings, amp_hours, full_cycles, spread_trend_v_per_day, discharge_ends";
    private static final String CELL_COLUMNS = "cell, ohms, spread_ohms, steps, ratio, bottoms";

    private final HistoryDatabase db;

    public AnalyticsHistory(final HistoryDatabase db) {
        this.db = db;
    }

    /** The snapshots of {@code pack} (without cells) taken in [{@code from}, {@code to}), oldest first. */
    public Page<PackReport> pack(final String pack, final long from, final long to, final int limit)
            throws SQLException {
        final List<PackReport> rows = new ArrayList<>();
        try (Connection reader = db.readerConnection(); PreparedStatement select = reader.prepareStatement(
                "SELECT " + PACK_COLUMNS + " FROM analytics_packs WHERE pack = ? AND at_ms >= ? AND at_ms < ?"
                        + " ORDER BY at_ms LIMIT ?")) {
            window(select, pack, from, to, limit);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(packReport(result, List.of()));
                }
            }
        }
        return page(rows, limit);
    }

    /** One cell's figures in the snapshots of {@code pack} taken in [{@code from}, {@code to}), oldest first. */
    public Page<CellSnapshot> cell(final String pack, final String cell, final long from, final long to,
                                   final int limit) throws SQLException {
        final List<CellSnapshot> rows = new ArrayList<>();
        try (Connection reader = db.readerConnection(); PreparedStatement select = reader.prepareStatement(
                "SELECT at_ms, " + CELL_COLUMNS + " FROM analytics_cells WHERE pack = ? AND at_ms >= ? AND at_ms < ?"
                        + " AND cell = ? ORDER BY at_ms LIMIT ?")) {
            select.setString(1, pack);
            select.setLong(2, from);
            select.setLong(3, to);
            select.setString(4, cell);
            select.setInt(5, limit + 1);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new CellSnapshot(result.getLong(1), cellReport(result, 2)));
                }
            }
        }
        return page(rows, limit);
    }

    /** The latest stored snapshot, with its cells, of at most {@code maxPacks} packs (the most recently stored). */
    public List<PackReport> latest(final int maxPacks) throws SQLException {
        try (Connection reader = db.readerConnection()) {
            final Map<String, List<CellReport>> cells = new HashMap<>();
            try (PreparedStatement select = reader.prepareStatement("WITH last AS (SELECT pack, max(at_ms) AS at_ms"
                    + " FROM analytics_packs GROUP BY pack ORDER BY at_ms DESC LIMIT ?) SELECT c.pack, " + CELL_COLUMNS
                    + " FROM analytics_cells c JOIN last USING (pack, at_ms) ORDER BY c.pack, c.position")) {
                select.setInt(1, maxPacks);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        cells.computeIfAbsent(result.getString(1), p -> new ArrayList<>())
                                .add(cellReport(result, 2));
                    }
                }
            }
            final List<PackReport> packs = new ArrayList<>();
            // Several rows of one pack at its latest at_ms (two stores in one millisecond): keep one.
            try (PreparedStatement select = reader.prepareStatement("SELECT " + PACK_COLUMNS
                    + " FROM analytics_packs QUALIFY row_number() OVER (PARTITION BY pack ORDER BY at_ms DESC) = 1"
                    + " ORDER BY at_ms DESC LIMIT ?")) {
                select.setInt(1, maxPacks);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        packs.add(packReport(result, cells.getOrDefault(result.getString(1), List.of())));
                    }
                }
            }
            return packs;
        }
    }

    private static void window(final PreparedStatement select, final String pack, final long from, final long to,
                               final int limit) throws SQLException {
        select.setString(1, pack);
        select.setLong(2, from);
        select.setLong(3, to);
        // One more than asked: tells whether the window holds more without counting it.
        select.setInt(4, limit + 1);
    }

    private static <T> Page<T> page(final List<T> rows, final int limit) {
        final boolean more = rows.size() > limit;
        return new Page<>(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }

    private static PackReport packReport(final ResultSet r, final List<CellReport> cells) throws SQLException {
        return new PackReport(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getLong(5), number(r, 6),
                number(r, 7), r.getLong(8), number(r, 9), number(r, 10), number(r, 11), r.getLong(12), cells,
                List.of(), List.of(), List.of());
    }

    /** The cell columns ({@link #CELL_COLUMNS}) starting at column {@code first}. */
    private static CellReport cellReport(final ResultSet r, final int first) throws SQLException {
        final Object steps = r.getObject(first + 3);
        final ResistanceEstimate resistance = steps instanceof Number n
                ? new ResistanceEstimate(number(r, first + 1), number(r, first + 2), n.longValue(),
                        number(r, first + 4))
                : null;
        return new CellReport(r.getString(first), resistance, r.getLong(first + 5));
    }

    /** DuckDB's getDouble answers NaN for NULL without setting wasNull: read the object. */
    private static double number(final ResultSet r, final int column) throws SQLException {
        return r.getObject(column) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
