package io.cellwatch.extension.storage;

import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.history.AnalyticsSnapshotWriter;
import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Stores each pack's analytics report in DuckDB at most once per interval, on its own thread
 * ({@code cellwatch-analytics-store}) and connection. The analytics thread only hands its reports over
 * ({@link #accept}: one map put per pack, latest wins), so the pending reports are bounded by the packs analytics
 * follows and a report superseded within the interval is never stored. A pack's first report is stored at once, its
 * last one at most an interval after it was made, and whatever is pending on {@link #close}. Deletes snapshots older
 * than the retention every hour. Thread-safe; start and close are idempotent.
 */
public final class ReportStore implements Consumer<List<PackReport>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportStore.class);
    private static final long TICK_MILLIS = 200;
    private static final long RETENTION_EVERY_MILLIS = Duration.ofHours(1).toMillis();
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    private static final long RETRY_PAUSE_MILLIS = 5_000;

    private final AnalyticsSnapshotWriter writer;
    private final Clock clock;
    private final long intervalMillis;
    private final long retentionMillis;
    private final Map<String, PackReport> pending = new ConcurrentHashMap<>();
    private final Counter written;
    private final Counter failed;
    // Store thread only.
    private final Map<String, Long> storedAt = new HashMap<>();
    private long pausedUntil;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param interval  the least time between two stored reports of one pack
     * @param retention snapshots older than this are deleted
     */
    public ReportStore(final AnalyticsSnapshotWriter writer, final Clock clock, final Duration interval,
                       final Duration retention, final Metrics metrics) {
        this.writer = writer;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.retentionMillis = retention.toMillis();
        this.written = metrics.counter("cellwatch_analytics_snapshots_written_total",
                "Pack analytics reports stored in DuckDB (analytics_packs)");
        this.failed = metrics.counter("cellwatch_analytics_snapshots_failed_total",
                "Pack analytics reports whose storing failed (retried with the pack's next report)");
        metrics.gauge("cellwatch_analytics_snapshots_pending", "Packs whose latest report waits to be stored",
                () -> pending.size());
    }

    /** Takes a round of fresh reports; on the analytics thread, so in-memory only. */
    @Override
    public void accept(final List<PackReport> round) {
        for (final PackReport report : round) {
            pending.put(report.pack(), report);
        }
    }

    /** Starts the store thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "cellwatch-analytics-store");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long nextRetention = clock.millis();
        while (running) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (final InterruptedException e) {
                break;
            }
            final long now = clock.millis();
            store(now, false);
            if (now >= nextRetention) {
                deleteOld(now);
                nextRetention = now + RETENTION_EVERY_MILLIS;
            }
        }
        store(clock.millis(), true);
        closeWriter();
    }

    private void closeWriter() {
        try {
            writer.close();
        } catch (final SQLException e) {
            log.warn("closing the analytics store's DuckDB connection failed", e);
        }
    }

    /** Stores the pending reports of the packs whose interval is up, or every pending one if {@code all}. */
    private void store(final long now, final boolean all) {
        if (!all && now < pausedUntil) {
            return;
        }
        final List<PackReport> due = new ArrayList<>();
        for (final String pack : pending.keySet()) {
            final Long last = storedAt.get(pack);
            if (all || last == null || now - last >= intervalMillis) {
                final PackReport report = pending.remove(pack);
                if (report != null) {
                    due.add(report);
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        try {
            writer.write(due);
            for (final PackReport report : due) {
                storedAt.put(report.pack(), now);
            }
            written.inc(due.size());
        } catch (final SQLException | RuntimeException e) {
            failed.inc(due.size());
            pausedUntil = now + RETRY_PAUSE_MILLIS;
            // Kept for the next try unless a newer report came meanwhile.
            for (final PackReport report : due) {
                pending.putIfAbsent(report.pack(), report);
            }
            log.warn("storing {} analytics reports failed; trying again in {} ms", due.size(), RETRY_PAUSE_MILLIS, e);
        }
    }

    private void deleteOld(final long now) {
        try {
            writer.deleteBefore(now - retentionMillis);
        } catch (final SQLException | RuntimeException e) {
            log.warn("deleting analytics snapshots past retention failed; trying again in an hour", e);
        }
    }

    /**
     * Stores what is pending and stops (waits at most 10 s), closing its connection; call before the history database
     * closes. A second close does nothing.
     */
    @Override
    public void close() {
        final Thread current;
        synchronized (this) {
            current = thread;
            running = false;
        }
        if (current == null) {
            closeWriter();
            return;
        }
        current.interrupt();
        try {
            current.join(CLOSE_WAIT_MILLIS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
