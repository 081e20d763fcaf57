package io.cellwatch.extension.storage;

import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.history.AnalyticsHistory;
import io.cellwatch.extension.history.AnalyticsSnapshotWriter;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ReportStore} on a real DuckDB file, its clock moved by hand. */
@Timeout(30)
class ReportStoreTest {

    private static final String PACK = "tenants/acme/plants/p1/racks/r1/packs/k1";
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private HistoryDatabase db;
    private AnalyticsHistory history;
    private ReportStore store;

    @BeforeEach
    void open() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        history = new AnalyticsHistory(db);
        store = new ReportStore(new AnalyticsSnapshotWriter(db), clock(), INTERVAL, Duration.ofDays(730),
                Metrics.create());
        store.start();
    }

    @AfterEach
    void close() throws SQLException {
        store.close();
        db.close();
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(final java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
    }

    private static PackReport report(final long at, final long samples) {
        return new PackReport(PACK, "acme", at, samples, 0, Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN, 0,
                List.of(), List.of(), List.of(), List.of());
    }

    private List<Long> storedSamples() throws SQLException {
        return history.pack(PACK, 0, Long.MAX_VALUE, 100).rows().stream().map(PackReport::samples).toList();
    }

    @Test
    void aPacksFirstReportIsStoredAtOnceAndItsLatestOnceTheIntervalIsUp() throws Exception {
        store.accept(List.of(report(now.get(), 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> storedSamples().size() == 1);

        store.accept(List.of(report(now.get() + 1_000, 2)));
        store.accept(List.of(report(now.get() + 2_000, 3)));
        // Five ticks of the store thread with the interval not up: nothing more is stored.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> storedSamples().equals(List.of(1L)));

        now.addAndGet(INTERVAL.toMillis());
        await().atMost(Duration.ofSeconds(5)).until(() -> storedSamples().size() == 2);
        assertThat(storedSamples()).containsExactly(1L, 3L);
    }

    @Test
    void aPendingReportIsStoredOnClose() throws Exception {
        store.accept(List.of(report(now.get(), 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> storedSamples().size() == 1);
        store.accept(List.of(report(now.get() + 1_000, 2)));

        store.close();

        assertThat(storedSamples()).containsExactly(1L, 2L);
    }

    @Test
    void snapshotsPastTheRetentionAreDeleted() throws Exception {
        store.close();
        try (AnalyticsSnapshotWriter writer = new AnalyticsSnapshotWriter(db)) {
            writer.write(List.of(report(now.get() - Duration.ofDays(2).toMillis(), 1), report(now.get(), 2)));
        }
        store = new ReportStore(new AnalyticsSnapshotWriter(db), clock(), INTERVAL, Duration.ofDays(1),
                Metrics.create());

        store.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> storedSamples().equals(List.of(2L)));
    }
}
