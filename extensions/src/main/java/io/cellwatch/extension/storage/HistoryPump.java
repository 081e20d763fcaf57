package io.cellwatch.extension.storage;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
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
import java.util.concurrent.TimeUnit;

/**
 * The single writer: one thread tails the WAL into DuckDB in batches, each batch one transaction that also records
 * the WAL index it reached. A failed batch is retried as it was; a crash between batches resumes after the last
 * committed index. Also enforces retention and deletes WAL cycles that are safely in DuckDB.
 */
final class HistoryPump implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryPump.class);
    private static final int MAX_BATCH = 50_000;
    private static final long IDLE_PARK_MILLIS = 5;
    private static final long HOUSEKEEPING_MILLIS = Duration.ofMinutes(1).toMillis();
    private static final long DRAIN_ON_CLOSE_MILLIS = 10_000;

    private final Wal wal;
    private final HistoryWriter writer;
    private final Retention retention;
    private final long startAfter;
    private final Histogram lag;
    private final Counter samplesWritten;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long committed;

    HistoryPump(final Wal wal, final HistoryWriter writer, final Retention retention, final long startAfter,
                final MetricRegistry metrics) {
        this.wal = wal;
        this.writer = writer;
        this.retention = retention;
        this.startAfter = startAfter;
        this.committed = startAfter;
        this.lag = metrics.register("cellwatch.history.lag.ms",
                new Histogram(new SlidingTimeWindowArrayReservoir(1, TimeUnit.MINUTES)));
        this.samplesWritten = metrics.counter("cellwatch.history.samples.written");
        metrics.gauge("cellwatch.wal.disk.bytes", () -> wal::diskBytes);
        this.thread = new Thread(this::run, "cellwatch-history-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
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
                final int read = reader.poll(MAX_BATCH, batch);
                if (read > 0) {
                    writeWithRetry(batch);
                } else if (stopping) {
                    return;
                } else {
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
            lag.update(now - oldest);
        }
        samplesWritten.inc(samples);
        committed = batch.get(batch.size() - 1).index();
    }

    private void housekeeping() {
        try {
            retention.enforce(System.currentTimeMillis());
        } catch (final SQLException e) {
            log.warn("enforcing retention failed; trying again in a minute", e);
        }
        wal.deleteCyclesBefore(committed);
    }

    private static void park() throws InterruptedException {
        Thread.sleep(IDLE_PARK_MILLIS);
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
