package io.cellwatch.extension.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The history tables and views, created idempotently. Times are BIGINT epoch milliseconds (cheap to compare and
 * append); the {@code *_v} views add real UTC {@code TIMESTAMP}s and series keys for people using the DuckDB CLI.
 * docs/history.md describes every column.
 */
final class HistorySchema {

    /** The single row of {@code wal_checkpoint}. */
    static final int CHECKPOINT_ROW = 0;

    private static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, key VARCHAR NOT NULL UNIQUE)",
            // A client id is unique per (tenant, user) only: another user's gateway under the same id is another row.
            "CREATE TABLE IF NOT EXISTS gateways (id INTEGER PRIMARY KEY, client_id VARCHAR NOT NULL,"
                    + " tenant VARCHAR NOT NULL DEFAULT '', user_name VARCHAR NOT NULL DEFAULT '',"
                    + " highest_seq BIGINT NOT NULL)",
            // No key: raw samples are append-only and a primary key index would cost on every append.
            "CREATE TABLE IF NOT EXISTS samples (series_id INTEGER NOT NULL, ts_ms BIGINT NOT NULL,"
                    + " value DOUBLE NOT NULL, received_ms BIGINT NOT NULL, gateway_id INTEGER NOT NULL, seq BIGINT)",
            rollup("rollup_1m"),
            rollup("rollup_1h"),
            "CREATE TABLE IF NOT EXISTS latest (series_id INTEGER PRIMARY KEY, ts_ms BIGINT NOT NULL,"
                    + " value DOUBLE NOT NULL, received_ms BIGINT NOT NULL, seq BIGINT)",
            // Who (gateway id), when, what and why: every online / stale / offline change.
            "CREATE TABLE IF NOT EXISTS gateway_events (gateway_id INTEGER NOT NULL, at_ms BIGINT NOT NULL,"
                    + " state VARCHAR NOT NULL, cause VARCHAR NOT NULL)",
            // Every alert change: raised, acknowledged (by whom), cleared. value is what the rule judged.
            "CREATE TABLE IF NOT EXISTS alert_events (tenant VARCHAR NOT NULL, alert_id VARCHAR NOT NULL,"
                    + " rule VARCHAR NOT NULL, subject VARCHAR NOT NULL, severity VARCHAR NOT NULL,"
                    + " state VARCHAR NOT NULL, value DOUBLE, at_ms BIGINT NOT NULL, by_user VARCHAR)",
            // A pack's analytics report, at most once per analytics.store-interval-seconds; NULL for a figure not
            // known yet. No key, like samples: append-only, written by the analytics store's own connection.
            "CREATE TABLE IF NOT EXISTS analytics_packs (tenant VARCHAR NOT NULL, pack VARCHAR NOT NULL,"
                    + " at_ms BIGINT NOT NULL, samples BIGINT NOT NULL, steps BIGINT NOT NULL, median_ohms DOUBLE,"
                    + " capacity_ah DOUBLE, capacity_swings BIGINT NOT NULL, amp_hours DOUBLE, full_cycles DOUBLE,"
                    + " spread_trend_v_per_day DOUBLE, discharge_ends BIGINT NOT NULL)",
            // Its cells at the same at_ms, position in the order the pack first saw them; steps NULL before the
            // cell's first step (then ohms, spread_ohms and ratio are NULL too).
            "CREATE TABLE IF NOT EXISTS analytics_cells (tenant VARCHAR NOT NULL, pack VARCHAR NOT NULL,"
                    + " at_ms BIGINT NOT NULL, position INTEGER NOT NULL, cell VARCHAR NOT NULL, ohms DOUBLE,"
                    + " spread_ohms DOUBLE, steps BIGINT, ratio DOUBLE, bottoms BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS wal_checkpoint (id INTEGER PRIMARY KEY, wal_index BIGINT NOT NULL)",
            // A serving node: per partition of the Kafka samples topic, the offset after the last one stored.
            "CREATE TABLE IF NOT EXISTS feed_positions (kafka_partition INTEGER PRIMARY KEY,"
                    + " next_offset BIGINT NOT NULL)");

    private static final List<String> VIEWS = List.of(
            "CREATE OR REPLACE VIEW samples_v AS SELECT s.key AS series, epoch_ms(x.ts_ms) AS ts, x.value,"
                    + " epoch_ms(x.received_ms) AS received, g.client_id AS gateway, g.user_name AS gateway_user,"
                    + " x.seq, x.series_id, x.ts_ms"
                    + " FROM samples x JOIN series s ON s.id = x.series_id LEFT JOIN gateways g ON g.id = x.gateway_id",
            "CREATE OR REPLACE VIEW gateway_events_v AS SELECT g.tenant, g.user_name AS gateway_user,"
                    + " g.client_id AS gateway, epoch_ms(e.at_ms) AS at, e.state, e.cause, e.gateway_id, e.at_ms"
                    + " FROM gateway_events e JOIN gateways g ON g.id = e.gateway_id",
            "CREATE OR REPLACE VIEW alert_events_v AS SELECT tenant, alert_id, rule, subject, severity, state, value,"
                    + " epoch_ms(at_ms) AS at, by_user, at_ms FROM alert_events",
            "CREATE OR REPLACE VIEW analytics_packs_v AS SELECT *, epoch_ms(at_ms) AS at FROM analytics_packs",
            "CREATE OR REPLACE VIEW analytics_cells_v AS SELECT *, epoch_ms(at_ms) AS at FROM analytics_cells",
            rollupView("rollup_1m"),
            rollupView("rollup_1h"),
            "CREATE OR REPLACE VIEW latest_v AS SELECT s.key AS series, epoch_ms(l.ts_ms) AS ts, l.value,"
                    + " epoch_ms(l.received_ms) AS received, l.seq, l.series_id"
                    + " FROM latest l JOIN series s ON s.id = l.series_id");

    private HistorySchema() {
    }

    /**
     * Before client ids had owners, {@code gateways} had {@code client_id UNIQUE} and no tenant or user. DuckDB cannot
     * drop a constraint, so such a table is rebuilt once; its rows keep their ids and get tenant and user {@code ""},
     * which no login has, so the first publish of each owner starts a fresh retry guard.
     */
    private static final List<String> KEY_GATEWAYS_BY_USER = List.of(
            "DROP VIEW IF EXISTS samples_v",
            "CREATE TABLE gateways_keyed (id INTEGER PRIMARY KEY, client_id VARCHAR NOT NULL,"
                    + " tenant VARCHAR NOT NULL DEFAULT '', user_name VARCHAR NOT NULL DEFAULT '',"
                    + " highest_seq BIGINT NOT NULL)",
            "INSERT INTO gateways_keyed SELECT id, client_id, '', '', highest_seq FROM gateways",
            "DROP TABLE gateways",
            "ALTER TABLE gateways_keyed RENAME TO gateways");

    /** Creates whatever is missing and (re)defines the views; safe on every start. */
    static void create(final Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (hasUniqueClientId(statement)) {
                for (final String ddl : KEY_GATEWAYS_BY_USER) {
                    statement.execute(ddl);
                }
            }
            for (final String ddl : TABLES) {
                statement.execute(ddl);
            }
            for (final String ddl : VIEWS) {
                statement.execute(ddl);
            }
        }
    }

    private static boolean hasUniqueClientId(final Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM duckdb_constraints()"
                + " WHERE table_name = 'gateways' AND constraint_type = 'UNIQUE'")) {
            return rows.next() && rows.getLong(1) > 0;
        }
    }

    private static String rollup(final String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (series_id INTEGER NOT NULL, bucket_ms BIGINT NOT NULL,"
                + " min DOUBLE NOT NULL, max DOUBLE NOT NULL, sum DOUBLE NOT NULL, count BIGINT NOT NULL,"
                + " last DOUBLE NOT NULL, last_ts_ms BIGINT NOT NULL, PRIMARY KEY (series_id, bucket_ms))";
    }

    private static String rollupView(final String table) {
        return "CREATE OR REPLACE VIEW " + table + "_v AS SELECT s.key AS series, epoch_ms(r.bucket_ms) AS bucket,"
                + " r.min, r.max, r.sum / r.count AS avg, r.sum, r.count, r.last, epoch_ms(r.last_ts_ms) AS last_ts,"
                + " r.series_id, r.bucket_ms FROM " + table + " r JOIN series s ON s.id = r.series_id";
    }
}
