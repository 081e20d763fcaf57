package io.cellwatch.extension.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the stored alert changes ({@code alert_events}) of a window, newest first, for the dashboard's event history.
 * Thread-safe: each query runs on its own reader connection.
 */
public final class AlertHistory {

    /**
     * One stored change of an alert.
     *
     * @param value what the rule judged, or {@code null} if it was not a finite number
     * @param by    who acknowledged (for {@code acknowledged}), or {@code null}
     */
    public record Event(String tenant, String alertId, String rule, String subject, String severity, String state,
                        Double value, long atMs, String by) {
    }

    /** At most {@code limit} events, and whether the window holds more. */
    public record Page(List<Event> events, boolean more) {
    }

    private final HistoryDatabase db;

    public AlertHistory(final HistoryDatabase db) {
        this.db = db;
    }

    /**
     * The newest {@code limit} events in [{@code from}, {@code to}), newest first.
     *
     * @param tenant  only this tenant's events, or every tenant's if {@code null}
     * @param exclude a tenant never answered (the probe's), whatever {@code tenant} is
     * @param subtree only events whose subject is this node or lies under it, or every one if {@code null}
     */
    public Page query(final String tenant, final String exclude, final String subtree, final long from, final long to,
                      final int limit) throws SQLException {
        final StringBuilder sql = new StringBuilder("SELECT tenant, alert_id, rule, subject, severity, state, value,"
                + " at_ms, by_user FROM alert_events WHERE at_ms >= ? AND at_ms < ? AND tenant <> ?");
        if (tenant != null) {
            sql.append(" AND tenant = ?");
        }
        if (subtree != null) {
            sql.append(" AND (subject = ? OR starts_with(subject, ?))");
        }
        // alert_id breaks ties of one millisecond so pages are stable.
        sql.append(" ORDER BY at_ms DESC, alert_id LIMIT ?");
        final List<Event> events = new ArrayList<>();
        try (Connection reader = db.readerConnection(); PreparedStatement select = reader.prepareStatement(sql.toString())) {
            int p = 1;
            select.setLong(p++, from);
            select.setLong(p++, to);
            select.setString(p++, exclude);
            if (tenant != null) {
                select.setString(p++, tenant);
            }
            if (subtree != null) {
                select.setString(p++, subtree);
                select.setString(p++, subtree + "/");
            }
            // One more than asked: tells whether the window holds more without counting it.
            select.setInt(p, limit + 1);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    // DuckDB's getDouble answers NaN for NULL without setting wasNull: read the object.
                    final Object value = rows.getObject(7);
                    events.add(new Event(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), value instanceof Number n ? n.doubleValue() : null,
                            rows.getLong(8), rows.getString(9)));
                }
            }
        }
        final boolean more = events.size() > limit;
        return new Page(more ? List.copyOf(events.subList(0, limit)) : List.copyOf(events), more);
    }
}
