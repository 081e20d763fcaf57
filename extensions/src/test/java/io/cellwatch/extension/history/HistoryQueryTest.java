package io.cellwatch.extension.history;

import io.cellwatch.extension.history.HistoryQuery.SeriesRef;
import io.cellwatch.extension.history.HistoryResult.Point;
import io.cellwatch.extension.history.HistoryResult.SeriesPoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static io.cellwatch.extension.history.HistoryTestSupport.execute;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryQueryTest {

    private static final long T0 = 1_764_057_600_000L; // a whole hour
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final long DAY = 24 * HOUR;
    private static final SeriesRef VOLTAGE = new SeriesRef(1, "tenants/t1/plants/p1/cells/1/voltage");
    private static final SeriesRef TEMPERATURE = new SeriesRef(2, "tenants/t1/plants/p1/cells/1/temperature");
    private static final SeriesRef SILENT = new SeriesRef(3, "tenants/t1/plants/p1/cells/1/soc");

    @TempDir
    static Path dir;

    private static HistoryDatabase db;
    private static HistoryQuery query;

    @BeforeAll
    static void open() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        query = new HistoryQuery(db);
        writeHistory(db);
    }

    /**
     * Ten minutes from T0, one publish a second: voltage = i, temperature = -i for the i-th second. Plus one voltage
     * sample a day later, for the long windows.
     */
    private static void writeHistory(final HistoryDatabase target) throws SQLException {
        final HistoryWriter writer = new HistoryWriter(target);
        final WalBatch wal = new WalBatch().series(1, VOLTAGE.key()).series(2, TEMPERATURE.key())
                .series(3, SILENT.key()).gateway(0, "pi");
        for (int i = 0; i < 600; i++) {
            wal.publish(0, i, T0 + i * 1000L, new int[]{1, 2}, new double[]{i, -i});
            if (i % 100 == 99) {
                writer.write(wal.take());
            }
        }
        writer.write(wal.sample(0, 600, 1, T0 + DAY, 1000).take());
    }

    @AfterAll
    static void close() throws SQLException {
        db.close();
    }

    private static List<Point> points(final HistoryResult result) {
        return result.series().get(0).points();
    }

    private static long totalCount(final List<Point> points) {
        return points.stream().mapToLong(Point::count).sum();
    }

    @Test
    void resolutionSwitchesAtOneMinuteAndOneHourBuckets() {
        assertThat(Resolution.forBucket(MINUTE - 1)).isEqualTo(Resolution.RAW);
        assertThat(Resolution.forBucket(MINUTE)).isEqualTo(Resolution.MINUTE);
        assertThat(Resolution.forBucket(HOUR - 1)).isEqualTo(Resolution.MINUTE);
        assertThat(Resolution.forBucket(HOUR)).isEqualTo(Resolution.HOUR);
    }

    @Test
    void shortWindowReadsRawSamples() throws SQLException {
        final HistoryResult result = query.query(List.of(VOLTAGE), T0, T0 + 10 * MINUTE, 100);

        assertThat(result.resolution()).isEqualTo(Resolution.RAW);
        assertThat(result.bucketMs()).isEqualTo(6000);
        assertThat(points(result)).hasSize(100);
        assertThat(points(result).get(0)).isEqualTo(new Point(T0, 2.5, 0, 5, 5, 6));
    }

    @Test
    void dayWindowReadsMinuteRollups() throws SQLException {
        final HistoryResult result = query.query(List.of(VOLTAGE), T0, T0 + DAY, 500);

        assertThat(result.resolution()).isEqualTo(Resolution.MINUTE);
        assertThat(result.bucketMs()).isEqualTo(172_800);
        // 172.8 s buckets: the first holds minutes 0-2 (samples 0-179), the second minutes 3-5.
        assertThat(points(result)).hasSize(4);
        assertThat(points(result).get(0)).isEqualTo(new Point(T0, 89.5, 0, 179, 179, 180));
        assertThat(points(result).get(1).ts()).isEqualTo(T0 + 172_800);
        assertThat(totalCount(points(result))).isEqualTo(600);
    }

    @Test
    void monthWindowReadsHourRollups() throws SQLException {
        final HistoryResult result = query.query(List.of(VOLTAGE), T0, T0 + 30 * DAY, 100);

        assertThat(result.resolution()).isEqualTo(Resolution.HOUR);
        assertThat(points(result)).hasSize(2);
        assertThat(points(result).get(0)).isEqualTo(new Point(T0, 299.5, 0, 599, 599, 600));
        assertThat(points(result).get(1).last()).isEqualTo(1000);
    }

    @Test
    void rollupResolutionsReadTheRollupTablesNotTheSamples() throws SQLException {
        try (HistoryDatabase rollupsOnly = HistoryDatabase.open(dir.resolve("rollups-only.duckdb"))) {
            writeHistory(rollupsOnly);
            try (Connection reader = rollupsOnly.readerConnection()) {
                execute(reader, "DELETE FROM samples");
            }
            final HistoryQuery onRollups = new HistoryQuery(rollupsOnly);

            assertThat(points(onRollups.query(List.of(VOLTAGE), T0, T0 + 10 * MINUTE, 10))).hasSize(10);
            assertThat(points(onRollups.query(List.of(VOLTAGE), T0, T0 + 30 * DAY, 100))).hasSize(2);
            assertThat(points(onRollups.query(List.of(VOLTAGE), T0, T0 + 10 * MINUTE, 100))).isEmpty();
        }
    }

    @Test
    void neverAnswersMoreThanTheRequestedPoints() throws SQLException {
        for (final int n : new int[]{1, 7, 599, 600, 601, 10_000}) {
            final List<Point> points = points(query.query(List.of(VOLTAGE), T0, T0 + 10 * MINUTE, n));

            assertThat(points).hasSizeLessThanOrEqualTo(n);
            assertThat(totalCount(points)).isEqualTo(600);
        }
    }

    @Test
    void answersSeveralSeriesInTheOrderAsked() throws SQLException {
        final HistoryResult result = query.query(List.of(TEMPERATURE, SILENT, VOLTAGE), T0, T0 + 10 * MINUTE, 10);

        assertThat(result.series()).extracting(SeriesPoints::series)
                .containsExactly(TEMPERATURE.key(), SILENT.key(), VOLTAGE.key());
        assertThat(result.series().get(0).points().get(0)).isEqualTo(new Point(T0, -29.5, -59, 0, -59, 60));
        assertThat(result.series().get(1).points()).isEmpty();
        assertThat(result.series().get(2).points().get(0)).isEqualTo(new Point(T0, 29.5, 0, 59, 59, 60));
    }

    @Test
    void emptyWindowHasNoPoints() throws SQLException {
        final HistoryResult result = query.query(List.of(VOLTAGE, TEMPERATURE), T0 + MINUTE, T0 + MINUTE, 500);

        assertThat(result.series()).extracting(SeriesPoints::points).containsExactly(List.of(), List.of());
    }

    @Test
    void windowBeforeAnyDataHasNoPoints() throws SQLException {
        assertThat(points(query.query(List.of(VOLTAGE), T0 - HOUR, T0, 500))).isEmpty();
    }

    @Test
    void windowIncludesFromAndExcludesTo() throws SQLException {
        final List<Point> points = points(query.query(List.of(VOLTAGE), T0 + 1000, T0 + 3000, 10));

        assertThat(points).extracting(Point::value).containsExactly(1.0, 2.0);
    }
}
