package io.cellwatch.extension.history;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves everything of a batch except the raw samples (new series and gateways, rollups, newest samples, highest
 * {@code seq}s) into the tables: rows go into TEMP staging tables with the Appender, then a handful of set-based
 * statements merge them and empty the stages. Per-row statements cost about a millisecond each in DuckDB; this costs
 * the same for ten rows or ten thousand. Runs inside the caller's transaction on the writer connection; stateless.
 */
final class Staging {

    private static final String[] TABLES = {
            // TEMP: they live in the writer connection only and never reach the file.
            "CREATE TEMP TABLE IF NOT EXISTS series_stage (id INTEGER NOT NULL, key VARCHAR NOT NULL)",
            "CREATE TEMP TABLE IF NOT EXISTS gateway_stage (id INTEGER NOT NULL, client_id VARCHAR NOT NULL,"
                    + " tenant VARCHAR NOT NULL, user_name VARCHAR NOT NULL)",
            "CREATE TEMP TABLE IF NOT EXISTS rollup_stage (width_ms BIGINT NOT NULL, series_id INTEGER NOT NULL,"
                    + " bucket_ms BIGINT NOT NULL, min DOUBLE NOT NULL, max DOUBLE NOT NULL, sum DOUBLE NOT NULL,"
                    + " count BIGINT NOT NULL, last DOUBLE NOT NULL, last_ts_ms BIGINT NOT NULL)",
            "CREATE TEMP TABLE IF NOT EXISTS latest_stage (series_id INTEGER NOT NULL, ts_ms BIGINT NOT NULL,"
                    + " value DOUBLE NOT NULL, received_ms BIGINT NOT NULL, seq BIGINT)",
            "CREATE TEMP TABLE IF NOT EXISTS seq_stage (gateway_id INTEGER NOT NULL, seq BIGINT NOT NULL)"};

    // An exact re-definition is skipped; an id or key already used for something else violates a constraint and
    // fails the batch loudly.
    private static final String MERGE_SERIES = "INSERT INTO series SELECT s.id, s.key FROM series_stage s"
            + " WHERE NOT EXISTS (SELECT 1 FROM series x WHERE x.id = s.id AND x.key = s.key)";
    private static final String MERGE_GATEWAYS = "INSERT INTO gateways (id, client_id, tenant, user_name, highest_seq)"
            + " SELECT s.id, s.client_id, s.tenant, s.user_name, -1 FROM gateway_stage s"
            + " WHERE NOT EXISTS (SELECT 1 FROM gateways x WHERE x.id = s.id AND x.client_id = s.client_id"
            + " AND x.tenant = s.tenant AND x.user_name = s.user_name)";
    private static final String MERGE_LATEST = "INSERT INTO latest SELECT series_id, ts_ms, value, received_ms, seq"
            + " FROM latest_stage ON CONFLICT (series_id) DO UPDATE SET ts_ms = excluded.ts_ms,"
            + " value = excluded.value, received_ms = excluded.received_ms, seq = excluded.seq"
            + " WHERE excluded.ts_ms >= latest.ts_ms";
    private static final String RAISE_SEQ = "UPDATE gateways SET highest_seq = s.seq FROM seq_stage s"
            + " WHERE gateways.id = s.gateway_id AND s.seq > gateways.highest_seq";

    private Staging() {
    }

    /** Creates the staging tables of {@code writer}; idempotent. */
    static void create(final Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            for (final String ddl : TABLES) {
                statement.execute(ddl);
            }
        }
    }

    /** Stages and merges {@code summary} into the tables. */
    static void merge(final DuckDBConnection connection, final BatchSummary summary) throws SQLException {
        final List<String> merges = new ArrayList<>();
        if (!summary.series.isEmpty()) {
            try (DuckDBAppender stage = appender(connection, "series_stage")) {
                for (final var s : summary.series) {
                    stage.beginRow().append(s.id()).append(s.key()).endRow();
                }
            }
            merges.add(MERGE_SERIES);
            merges.add("DELETE FROM series_stage");
        }
        if (!summary.gateways.isEmpty()) {
            try (DuckDBAppender stage = appender(connection, "gateway_stage")) {
                for (final var g : summary.gateways) {
                    stage.beginRow().append(g.id()).append(g.key().clientId()).append(g.key().tenant())
                            .append(g.key().user()).endRow();
                }
            }
            merges.add(MERGE_GATEWAYS);
            merges.add("DELETE FROM gateway_stage");
        }
        if (!summary.newest.isEmpty()) {
            try (DuckDBAppender stage = appender(connection, "rollup_stage")) {
                stageRollups(stage, summary.minutes);
                stageRollups(stage, summary.hours);
            }
            merges.add(mergeRollups("rollup_1m", BatchSummary.MINUTE_MS));
            merges.add(mergeRollups("rollup_1h", BatchSummary.HOUR_MS));
            merges.add("DELETE FROM rollup_stage");
            try (DuckDBAppender stage = appender(connection, "latest_stage")) {
                for (final Map.Entry<Integer, BatchSummary.Newest> e : summary.newest.entrySet()) {
                    final BatchSummary.Newest n = e.getValue();
                    stage.beginRow().append(e.getKey().intValue()).append(n.ts()).append(n.value())
                            .append(n.receivedAt());
                    HistoryWriter.appendSeq(stage, n.seq()).endRow();
                }
            }
            merges.add(MERGE_LATEST);
            merges.add("DELETE FROM latest_stage");
        }
        if (!summary.highestSeq.isEmpty()) {
            try (DuckDBAppender stage = appender(connection, "seq_stage")) {
                for (final Map.Entry<Integer, Long> e : summary.highestSeq.entrySet()) {
                    stage.beginRow().append(e.getKey().intValue()).append(e.getValue().longValue()).endRow();
                }
            }
            merges.add(RAISE_SEQ);
            merges.add("DELETE FROM seq_stage");
        }
        try (Statement statement = connection.createStatement()) {
            for (final String sql : merges) {
                statement.execute(sql);
            }
        }
    }

    private static DuckDBAppender appender(final DuckDBConnection connection, final String table)
            throws SQLException {
        return connection.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, table);
    }

    private static void stageRollups(final DuckDBAppender stage, final RollupBuffer buffer) throws SQLException {
        for (final Map.Entry<RollupBuffer.Key, Rollup> e : buffer.rollups().entrySet()) {
            final Rollup r = e.getValue();
            stage.beginRow().append(buffer.widthMs()).append(e.getKey().seriesId()).append(e.getKey().bucketMs())
                    .append(r.min()).append(r.max()).append(r.sum()).append(r.count()).append(r.last())
                    .append(r.lastTs()).endRow();
        }
    }

    /** Min and max widen, sum and count add up, last goes to the newer; SET sees the stored row as it was. */
    private static String mergeRollups(final String table, final long widthMs) {
        return "INSERT INTO " + table + " SELECT series_id, bucket_ms, min, max, sum, count, last, last_ts_ms"
                + " FROM rollup_stage WHERE width_ms = " + widthMs
                + " ON CONFLICT (series_id, bucket_ms) DO UPDATE SET"
                + " min = least(" + table + ".min, excluded.min), max = greatest(" + table + ".max, excluded.max),"
                + " sum = " + table + ".sum + excluded.sum, count = " + table + ".count + excluded.count,"
                + " last = CASE WHEN excluded.last_ts_ms >= " + table + ".last_ts_ms THEN excluded.last"
                + " ELSE " + table + ".last END,"
                + " last_ts_ms = greatest(" + table + ".last_ts_ms, excluded.last_ts_ms)";
    }
}
