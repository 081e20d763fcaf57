package io.cellwatch.extension.storage;

import io.cellwatch.contract.AlertMessage;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.history.HistoryWriter;
import io.cellwatch.extension.history.Retention;
import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.wal.Wal;
import io.cellwatch.extension.wal.WalWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Durable storage of every accepted sample: the publish path appends to the WAL ({@code data/wal}); one writer
 * thread tails it into DuckDB ({@code data/history/cellwatch.duckdb}). Lifecycle: {@link #open}, {@link #recover}
 * before the broker takes publishes, {@link #start}, {@link #close}. The append methods are thread-safe.
 */
public final class SampleStore implements PublishSink, AutoCloseable {

    /** The history database file, relative to the data folder. */
    public static final Path DATABASE_FILE = Path.of("history", "cellwatch.duckdb");

    private static final Logger log = LoggerFactory.getLogger(SampleStore.class);

    private final Wal wal;
    private final WalWriter walWriter;
    private final HistoryDatabase database;
    private final HistoryWriter historyWriter;
    private final Retention retention;
    // WAL records appended since start, plus those found after DuckDB's checkpoint at start (for the backlog).
    private final AtomicLong appended = new AtomicLong();
    private final Metrics metrics;
    private HistoryPump pump;
    private volatile Map<Integer, Long> feedPositions = Map.of();
    private volatile LongSupplier exportedIndex = () -> Long.MAX_VALUE;

    private SampleStore(final Wal wal, final HistoryDatabase database, final ExtensionSettings settings,
                        final Metrics metrics) throws SQLException {
        this.wal = wal;
        this.walWriter = wal.writer();
        this.database = database;
        // An ingest node's history is on the serving nodes; its DuckDB holds what its own restart needs.
        this.historyWriter = new HistoryWriter(database, !settings.cluster().role().exports());
        this.retention = new Retention(database, settings.rawRetentionDays(), settings.rollupRetentionDays());
        this.metrics = metrics;
    }

    /** Opens (or creates) WAL and history database under {@code settings.dataDir()}. */
    public static SampleStore open(final ExtensionSettings settings, final Metrics metrics)
            throws IOException, SQLException {
        final Path dataDir = settings.dataDir().toAbsolutePath();
        final Path databaseFile = dataDir.resolve(DATABASE_FILE);
        Files.createDirectories(databaseFile.getParent());
        final HistoryDatabase database = HistoryDatabase.open(databaseFile);
        try {
            return new SampleStore(Wal.open(dataDir.resolve("wal")), database, settings, metrics);
        } catch (final RuntimeException | SQLException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Rebuilds the in-memory state as it was: series, gateways (with their highest seq) and latest values from
     * DuckDB, then everything in the WAL after DuckDB's checkpoint. Call before the broker takes publishes.
     */
    public RecoveryReport recover(final SeriesCatalog catalog, final GatewayRegistry gateways) throws SQLException {
        return recover(catalog, gateways, Long.MAX_VALUE);
    }

    /**
     * As {@link #recover(SeriesCatalog, GatewayRegistry)}, for a serving node: also rebuilds each gateway's relayed
     * seqs from samples received since {@code relayedSinceMs} and where the Kafka feed resumes.
     */
    public RecoveryReport recover(final SeriesCatalog catalog, final GatewayRegistry gateways,
                                  final long relayedSinceMs) throws SQLException {
        final Recovery recovery = new Recovery(historyWriter, wal);
        final RecoveryReport report = recovery.run(catalog, gateways, relayedSinceMs);
        feedPositions = Map.copyOf(recovery.feedPositions());
        appended.addAndGet(report.walReplayed());
        return report;
    }

    /** Per Kafka partition, the offset after the last relayed publish stored; known after {@link #recover}. */
    public Map<Integer, Long> feedPositions() {
        return feedPositions;
    }

    /** Starts the writer thread, resuming after DuckDB's checkpoint. */
    public synchronized void start() throws SQLException {
        if (pump == null) {
            pump = new HistoryPump(wal, historyWriter, retention, historyWriter.checkpoint(), metrics, appended::get,
                    () -> exportedIndex.getAsLong());
            pump.start();
        }
    }

    /** The WAL, for the exporter of an ingest node. */
    public Wal wal() {
        return wal;
    }

    /**
     * Keeps every WAL cycle holding a record after {@code exported} (the exporter's position), besides those not yet
     * in DuckDB. Call before {@link #start}.
     */
    public void holdWalUntilExported(final LongSupplier exported) {
        this.exportedIndex = exported;
    }

    /** WAL definition of a new series; wired as the catalog's creation listener. */
    public void seriesCreated(final Series series) {
        walWriter.seriesCreated(series);
        appended.incrementAndGet();
    }

    /** WAL definition of a new gateway; wired as the gateway registry's creation listener. */
    public void gatewayCreated(final Gateway gateway) {
        walWriter.gatewayCreated(gateway);
        appended.incrementAndGet();
    }

    /** WAL record of a gateway's state change; {@code gateway} was created through the registry first. */
    public void gatewayStateChanged(final Gateway gateway, final String state, final String cause, final long atMs) {
        walWriter.gatewayStateChanged(gateway.id(), state, cause, atMs);
        appended.incrementAndGet();
    }

    /** WAL record of a gateway's health report (an ingest node exports it); {@code gateway} was created first. */
    public void gatewayHealthReported(final Gateway gateway, final String report) {
        walWriter.gatewayHealthReported(gateway.id(), report.getBytes(StandardCharsets.UTF_8));
        appended.incrementAndGet();
    }

    /** WAL record of a retained {@code meta} publish or its clear (an ingest node exports it). */
    public void retainedMeta(final String topic, final byte[] payload) {
        walWriter.retainedMeta(topic, payload);
        appended.incrementAndGet();
    }

    /** WAL record of an alert's change of state. */
    public void alertChanged(final AlertMessage alert) {
        walWriter.alertChanged(alert);
        appended.incrementAndGet();
    }

    @Override
    public void accept(final IngestedPublish publish) {
        walWriter.accept(publish);
        appended.incrementAndGet();
    }

    /** The history database, for queries. */
    public HistoryDatabase database() {
        return database;
    }

    /** Whether the history writer runs (false before start, after close or {@link #stopWriter}, or if it died). */
    public boolean writerAlive() {
        final HistoryPump current = pump;
        return current != null && current.alive();
    }

    /** Seconds the history writer has had work pending without a break; 0 while caught up. */
    public double backlogAgeSeconds() {
        final HistoryPump current = pump;
        return current == null ? 0 : current.backlogAgeSeconds();
    }

    /**
     * Stops the history writer as a crash of its thread would (samples keep going to the WAL and are written at
     * next start); for operations tests of readiness and alerting. The WAL and database stay open.
     */
    public synchronized void stopWriter() {
        if (pump != null) {
            pump.close();
        }
    }

    /** The WAL index of the last record committed to DuckDB (-1 before the first). */
    public long committedIndex() {
        return pump == null ? -1 : pump.committed();
    }

    /** Stops the writer after it drained the WAL (bounded), then closes WAL and database. Idempotent. */
    @Override
    public synchronized void close() {
        if (pump != null) {
            pump.close();
            pump = null;
        }
        walWriter.close();
        wal.close();
        try {
            database.close();
        } catch (final SQLException e) {
            log.warn("closing the history database failed; DuckDB replays its own log at next open", e);
        }
    }
}
