package io.cellwatch.extension.history;

import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.wal.WalEntry;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Writes batches of WAL entries into history, each batch in one DuckDB transaction together with the WAL index of its
 * last entry, so a batch is written entirely or not at all and never twice.
 * <p>
 * {@link #write} is for the single writer thread (it uses the database's writer connection, and DuckDB Appenders are
 * confined to the thread that made them). The read-back methods use their own reader connections and may be called
 * from any thread.
 */
public final class HistoryWriter {

    /** Receives one row of {@code series}. */
    @FunctionalInterface
    public interface SeriesVisitor {
        void accept(int id, String key);
    }

    /** Receives one row of {@code gateways}; {@code highestSeq} is -1 if the gateway never sent a {@code seq}. */
    @FunctionalInterface
    public interface GatewayVisitor {
        void accept(int id, GatewayKey key, long highestSeq);
    }

    /** Receives one range of consecutive {@code seq}s stored for a gateway, both ends inclusive. */
    @FunctionalInterface
    public interface SeqRangeVisitor {
        void accept(int gatewayId, long from, long to);
    }

    /** Receives one row of {@code latest}; {@code seq} is -1 for none. */
    @FunctionalInterface
    public interface LatestVisitor {
        void accept(int seriesId, long ts, double value, long receivedAt, long seq);
    }

    private static final String READ_CHECKPOINT = "SELECT wal_index FROM wal_checkpoint WHERE id = "
            + HistorySchema.CHECKPOINT_ROW;
    private static final String SET_CHECKPOINT = "INSERT INTO wal_checkpoint VALUES (" + HistorySchema.CHECKPOINT_ROW
            + ", ?) ON CONFLICT (id) DO UPDATE SET wal_index = excluded.wal_index";

    private static final String SET_FEED_POSITION = "INSERT INTO feed_positions VALUES (?, ?) ON CONFLICT"
            + " (kafka_partition) DO UPDATE SET next_offset = greatest(next_offset, excluded.next_offset)";

    private final HistoryDatabase db;
    private final DuckDBConnection connection;
    private final boolean keepSamples;

    /** A writer of the whole history: samples, rollups, latest values and events. */
    public HistoryWriter(final HistoryDatabase db) {
        this(db, true);
    }

    /**
     * @param keepSamples false on an ingest node, whose history lives on the serving nodes: only what a restart needs
     *                    is kept (series, gateways with their highest seq, the WAL checkpoint), no samples, rollups,
     *                    latest values or events
     */
    public HistoryWriter(final HistoryDatabase db, final boolean keepSamples) {
        this.db = db;
        this.connection = db.writerConnection();
        this.keepSamples = keepSamples;
    }

    /**
     * Writes {@code batch} (entries in WAL order) in one transaction and records its last index as the checkpoint.
     * Entries at or below the committed checkpoint are skipped, so retrying a batch, even one whose commit did go
     * through, writes nothing twice. On failure the transaction is rolled back and the exception rethrown: retry the
     * same batch.
     */
    public void write(final List<WalEntry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            // Must be the first statement of the transaction: the driver sends BEGIN lazily before the next JDBC
            // statement, and an Appender used before any statement would commit on its own (AppenderTransactionTest).
            final List<WalEntry> fresh = after(readCheckpoint(connection), batch);
            if (fresh.isEmpty()) {
                connection.rollback();
                return;
            }
            final BatchSummary summary = BatchSummary.of(fresh);
            if (keepSamples) {
                appendSamples(fresh, summary.samples);
                appendGatewayEvents(fresh);
                appendAlertEvents(fresh);
            } else {
                summary.keepDefinitionsOnly();
            }
            Staging.merge(connection, summary);
            setFeedPositions(fresh);
            setCheckpoint(fresh.get(fresh.size() - 1).index());
            connection.commit();
        } catch (final SQLException | RuntimeException e) {
            // Never leave a half-written transaction open: the next write would commit it.
            try {
                connection.rollback();
            } catch (final SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static List<WalEntry> after(final long checkpoint, final List<WalEntry> batch) {
        if (batch.get(0).index() > checkpoint) {
            return batch;
        }
        final List<WalEntry> fresh = new ArrayList<>(batch.size());
        for (final WalEntry entry : batch) {
            if (entry.index() > checkpoint) {
                fresh.add(entry);
            }
        }
        return fresh;
    }

    private void appendSamples(final List<WalEntry> batch, final int samples) throws SQLException {
        if (samples == 0) {
            return;
        }
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "samples")) {
            for (final WalEntry entry : batch) {
                if (entry instanceof WalEntry.PublishRecorded p) {
                    for (int i = 0; i < p.size(); i++) {
                        appender.beginRow().append(p.seriesIds()[i]).append(p.ts()).append(p.values()[i])
                                .append(p.receivedAt()).append(p.gatewayId());
                        appendSeq(appender, p.seq()).endRow();
                    }
                }
            }
            appender.flush();
        }
    }

    private void appendAlertEvents(final List<WalEntry> batch) throws SQLException {
        DuckDBAppender appender = null;
        try {
            for (final WalEntry entry : batch) {
                if (entry instanceof WalEntry.AlertChanged a) {
                    if (appender == null) {
                        appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "alert_events");
                    }
                    appender.beginRow().append(a.tenant()).append(a.alertId()).append(a.rule()).append(a.subject())
                            .append(a.severity()).append(a.state());
                    if (Double.isFinite(a.value())) {
                        appender.append(a.value());
                    } else {
                        appender.appendNull();
                    }
                    appender.append(a.atMs());
                    if (a.by().isEmpty()) {
                        appender.appendNull();
                    } else {
                        appender.append(a.by());
                    }
                    appender.endRow();
                }
            }
            if (appender != null) {
                appender.flush();
            }
        } finally {
            if (appender != null) {
                appender.close();
            }
        }
    }

    private void appendGatewayEvents(final List<WalEntry> batch) throws SQLException {
        DuckDBAppender appender = null;
        try {
            for (final WalEntry entry : batch) {
                if (entry instanceof WalEntry.GatewayStateChanged e) {
                    if (appender == null) {
                        appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "gateway_events");
                    }
                    appender.beginRow().append(e.gatewayId()).append(e.atMs()).append(e.state()).append(e.cause())
                            .endRow();
                }
            }
            if (appender != null) {
                appender.flush();
            }
        } finally {
            if (appender != null) {
                appender.close();
            }
        }
    }

    /** Records, per Kafka partition, the offset after the last relayed publish of the batch (serving nodes). */
    private void setFeedPositions(final List<WalEntry> batch) throws SQLException {
        final Map<Integer, Long> next = new HashMap<>();
        for (final WalEntry entry : batch) {
            if (entry instanceof WalEntry.PublishRecorded p && p.source() != null) {
                next.merge(p.source().partition(), p.source().offset() + 1, Math::max);
            }
        }
        if (next.isEmpty()) {
            return;
        }
        try (PreparedStatement set = connection.prepareStatement(SET_FEED_POSITION)) {
            for (final Map.Entry<Integer, Long> position : next.entrySet()) {
                set.setInt(1, position.getKey());
                set.setLong(2, position.getValue());
                set.addBatch();
            }
            set.executeBatch();
        }
    }

    private void setCheckpoint(final long index) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(SET_CHECKPOINT)) {
            set.setLong(1, index);
            set.executeUpdate();
        }
    }

    /** Appends {@code seq}, or NULL for none (-1). */
    static DuckDBAppender appendSeq(final DuckDBAppender appender, final long seq) throws SQLException {
        return seq < 0 ? appender.appendNull() : appender.append(seq);
    }

    // --- read-back for recovery ---------------------------------------------------------------------------------

    /** The WAL index of the last entry whose effects are committed, or -1 if nothing was ever written. */
    public long checkpoint() throws SQLException {
        try (Connection reader = db.readerConnection()) {
            return readCheckpoint(reader);
        }
    }

    /** Per Kafka partition, the offset after the last relayed publish committed (empty unless a serving node). */
    public Map<Integer, Long> feedPositions() throws SQLException {
        final Map<Integer, Long> positions = new HashMap<>();
        try (Connection reader = db.readerConnection(); Statement statement = reader.createStatement();
             ResultSet rows = statement.executeQuery("SELECT kafka_partition, next_offset FROM feed_positions")) {
            while (rows.next()) {
                positions.put(rows.getInt(1), rows.getLong(2));
            }
        }
        return positions;
    }

    /**
     * The {@code seq}s stored per gateway from samples received since {@code sinceMs}, as ranges of consecutive
     * numbers (a serving node's duplicate guard, rebuilt at start).
     */
    public void forEachSeqRange(final long sinceMs, final SeqRangeVisitor visitor) throws SQLException {
        try (Connection reader = db.readerConnection();
             PreparedStatement query = reader.prepareStatement("SELECT gateway_id, min(seq), max(seq) FROM ("
                     + "SELECT gateway_id, seq, seq - row_number() OVER (PARTITION BY gateway_id ORDER BY seq) AS run"
                     + " FROM (SELECT DISTINCT gateway_id, seq FROM samples WHERE seq IS NOT NULL"
                     + " AND received_ms >= ?)) GROUP BY gateway_id, run")) {
            query.setLong(1, sinceMs);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    visitor.accept(rows.getInt(1), rows.getLong(2), rows.getLong(3));
                }
            }
        }
    }

    /** Every known series, by id. */
    public void forEachSeries(final SeriesVisitor visitor) throws SQLException {
        try (Connection reader = db.readerConnection(); Statement statement = reader.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, key FROM series ORDER BY id")) {
            while (rows.next()) {
                visitor.accept(rows.getInt(1), rows.getString(2));
            }
        }
    }

    /** Every known gateway, by id, with the highest {@code seq} committed for it. */
    public void forEachGateway(final GatewayVisitor visitor) throws SQLException {
        try (Connection reader = db.readerConnection(); Statement statement = reader.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, tenant, user_name, client_id, highest_seq"
                     + " FROM gateways ORDER BY id")) {
            while (rows.next()) {
                visitor.accept(rows.getInt(1), new GatewayKey(rows.getString(2), rows.getString(3), rows.getString(4)),
                        rows.getLong(5));
            }
        }
    }

    /** The newest committed sample of every series that has one, by series id. */
    public void forEachLatest(final LatestVisitor visitor) throws SQLException {
        try (Connection reader = db.readerConnection(); Statement statement = reader.createStatement();
             ResultSet rows = statement.executeQuery("SELECT series_id, ts_ms, value, received_ms,"
                     + " coalesce(seq, -1) FROM latest ORDER BY series_id")) {
            while (rows.next()) {
                visitor.accept(rows.getInt(1), rows.getLong(2), rows.getDouble(3), rows.getLong(4), rows.getLong(5));
            }
        }
    }

    private static long readCheckpoint(final Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(READ_CHECKPOINT)) {
            return rows.next() ? rows.getLong(1) : -1;
        }
    }
}
