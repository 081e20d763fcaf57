package io.cellwatch.extension.storage;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.cellwatch.extension.history.HistoryWriter;
import io.cellwatch.extension.history.Retention;
import io.cellwatch.extension.wal.Wal;
import io.cellwatch.extension.wal.WalEntry;
import io.cellwatch.extension.wal.WalReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The single writer: one thread tails the WAL into DuckDB in batches, each batch one transaction that also records
 * the WAL index it reached. A failed batch is retried as it was; a crash between batches resumes after the last
 * committed index. Batches start at most every {@link #BATCH_INTERVAL_MILLIS} unless the WAL holds a full batch:
 * a DuckDB transaction has a fixed cost, and a writer that committed whatever arrived while the previous commit ran
 * spent a third to half a core on 20,000 samples/s arriving steadily. Also enforces retention and deletes WAL cycles
 * that are safely in DuckDB.
 */
final class HistoryPump implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryPump.class);
    private static final int MAX_BATCH = 50_000;
    private static final long IDLE_PARK_MILLIS = 5;
    /** The least time from one batch's start to the next's while the WAL holds less than a full batch. */
    static final long BATCH_INTERVAL_MILLIS = 100;
    private static final long HOUSEKEEPING_MILLIS = Duration.ofMinutes(1).toMillis();
    private static final long DRAIN_ON_CLOSE_MILLIS = 10_000;

    private final Wal wal;
    private final HistoryWriter writer;
    private final Retention retention;
    private final long startAfter;
    private final Histogram lag;
    private final Counter samplesWritten;
    private final Thread thread;
    private final LongSupplier appended;
    private final LongSupplier exported;
    private volatile boolean stopping;
    private volatile long committed;
    private volatile long recordsCommitted;
    private volatile long caughtUpNanos = System.nanoTime();

    /**
     * @param appended records appended to the WAL since start plus those pending at start (for the backlog)
     * @param exported the WAL index exported to Kafka (cycles after it are kept), {@link Long#MAX_VALUE} if none
     */
    HistoryPump(final Wal wal, final HistoryWriter writer, final Retention retention, final long startAfter,
                final Metrics metrics, final LongSupplier appended, final LongSupplier exported) {
        this.wal = wal;
        this.writer = writer;
        this.retention = retention;
        this.startAfter = startAfter;
        this.committed = startAfter;
        this.appended = appended;
        this.exported = exported;
        this.lag = metrics.seconds("cellwatch_history_commit_seconds",
                "Hop 2: per committed batch, from the oldest publish in it being accepted (WAL appended) until the"
                        + " batch is committed to DuckDB");
        this.samplesWritten = metrics.counter("cellwatch_history_samples_written_total",
                "Samples committed to the DuckDB history");
        metrics.gauge("cellwatch_wal_disk_bytes", "Disk used by the WAL's files", () -> wal.diskBytes());
        metrics.gauge("cellwatch_wal_backlog_records", "WAL records not yet committed to DuckDB",
                () -> backlogRecords());
        metrics.gauge("cellwatch_wal_backlog_age_seconds", "Seconds since the history writer last had nothing to"
                + " write (0 while caught up): at least the age of the oldest WAL record not yet in DuckDB",
                () -> backlogAgeSeconds());
        metrics.gauge("cellwatch_history_writer_up", "1 while the history writer thread runs, 0 once it stopped",
                () -> alive() ? 1 : 0);
        this.thread = new Thread(this::run, "cellwatch-history-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the writer thread runs. */
    boolean alive() {
        return thread.isAlive() && !stopping;
    }

    /** WAL records appended but not yet committed to DuckDB. */
    long backlogRecords() {
        return Math.max(0, appended.getAsLong() - recordsCommitted);
    }

    /** Seconds the writer has had work pending without a break; 0 while caught up. */
    double backlogAgeSeconds() {
        return backlogRecords() == 0 ? 0 : Metrics.seconds(caughtUpNanos, System.nanoTime());
    }

    /** The WAL index of the last record committed to DuckDB. */
    long committed() {
        return committed;
    }

    private void run() {
        final List<WalEntry> batch = new ArrayList<>();
        long nextHousekeeping = System.currentTimeMillis();
        long stopDeadline = Long.MAX_VALUE;
        try (WalReader reader = wal.readerAfter(startAfter)) {
            while (true) {
                batch.clear();
                final long polled = System.nanoTime();
                final int read = reader.poll(MAX_BATCH, batch);
                if (read > 0) {
                    writeWithRetry(batch);
                    if (read < MAX_BATCH) {
                        // The poll reached the end of the WAL: everything appended before it is committed now.
                        caughtUpNanos = polled;
                        if (!stopping) {
                            gather(polled);
                        }
                    }
                } else if (stopping) {
                    return;
                } else {
                    // Everything appended before this poll is committed.
                    caughtUpNanos = System.nanoTime();
                    park();
                }
                if (stopping && stopDeadline == Long.MAX_VALUE) {
                    stopDeadline = System.currentTimeMillis() + DRAIN_ON_CLOSE_MILLIS;
                } else if (System.currentTimeMillis() > stopDeadline) {
                    log.warn("history writer stopped before catching up; the rest is written at next start");
                    return;
                }
                if (System.currentTimeMillis() >= nextHousekeeping) {
                    housekeeping();
                    nextHousekeeping = System.currentTimeMillis() + HOUSEKEEPING_MILLIS;
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            log.error("history writer failed; samples stay in the WAL and are written at next start", e);
        }
    }

    private void writeWithRetry(final List<WalEntry> batch) throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                writer.write(batch);
                break;
            } catch (final SQLException | RuntimeException e) {
                // Nothing of the batch is committed (checkpoint and rows share the transaction): retry it whole.
                log.warn("writing {} WAL records to DuckDB failed; retrying in {} ms", batch.size(), backoff, e);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        final long now = System.currentTimeMillis();
        long oldest = Long.MAX_VALUE;
        long samples = 0;
        for (final WalEntry entry : batch) {
            if (entry instanceof WalEntry.PublishRecorded publish) {
                oldest = Math.min(oldest, publish.receivedAt());
                samples += publish.size();
            }
        }
        if (oldest != Long.MAX_VALUE) {
            lag.observe(Math.max(0, now - oldest) / 1000.0);
        }
        samplesWritten.inc(samples);
        committed = batch.get(batch.size() - 1).index();
        recordsCommitted += batch.size();
    }

    private void housekeeping() {
        try {
            retention.enforce(System.currentTimeMillis());
        } catch (final SQLException e) {
            log.warn("enforcing retention failed; trying again in a minute", e);
        }
        final long exportedIndex = exported.getAsLong();
        // Long.MIN_VALUE: the exporter has not yet learnt its position from Kafka; keep everything until it has.
        if (exportedIndex != Long.MIN_VALUE) {
            wal.deleteCyclesBefore(Math.min(committed, exportedIndex));
        }
    }

    private static void park() throws InterruptedException {
        Thread.sleep(IDLE_PARK_MILLIS);
    }

    /** Lets the next batch gather until {@link #BATCH_INTERVAL_MILLIS} after {@code startedNanos}. */
    private static void gather(final long startedNanos) throws InterruptedException {
        final long left = BATCH_INTERVAL_MILLIS - (System.nanoTime() - startedNanos) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    /** Drains what is in the WAL (for at most 10 s), then stops. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(DRAIN_ON_CLOSE_MILLIS + 5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
