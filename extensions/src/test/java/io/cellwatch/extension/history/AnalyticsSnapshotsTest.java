package io.cellwatch.extension.history;

import io.cellwatch.extension.analytics.CellReport;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.analytics.ResistanceEstimate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link AnalyticsSnapshotWriter} and {@link AnalyticsHistory} against a real DuckDB file. */
class AnalyticsSnapshotsTest {

    private static final String PACK = "tenants/acme/plants/p1/racks/r1/packs/k1";
    private static final String OTHER = "tenants/nordvolt/plants/n1/racks/r1/packs/k7";

    @TempDir
    Path dir;

    private HistoryDatabase db;
    private AnalyticsSnapshotWriter writer;
    private AnalyticsHistory history;

    @BeforeEach
    void open() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        writer = new AnalyticsSnapshotWriter(db);
        history = new AnalyticsHistory(db);
    }

    @AfterEach
    void close() throws SQLException {
        writer.close();
        db.close();
    }

    /** A report of {@code pack} at {@code at}: cell 2 has no step yet, cell 1 and 3 a resistance growing with at. */
    private static PackReport report(final String pack, final long at) {
        final double ohms = 0.001 + at / 1e9;
        return new PackReport(pack, pack.split("/")[1], at, at / 10, at / 1000, ohms, 48.5, 3, 120.0 + at / 1000.0,
                1.25, Double.NaN, 7, List.of(
                        new CellReport(pack + "/cells/1", new ResistanceEstimate(ohms, 0.0001, 12, 1.0), 0),
                        new CellReport(pack + "/cells/2", null, 4),
                        new CellReport(pack + "/cells/3", new ResistanceEstimate(2 * ohms, 0.0002, 12, 2.0), 1)),
                List.of(), List.of(), List.of());
    }

    @Test
    void aPacksSnapshotsReadBackOldestFirstWithinTheWindow() throws SQLException {
        writer.write(List.of(report(PACK, 3_000), report(OTHER, 3_000)));
        writer.write(List.of(report(PACK, 1_000)));
        writer.write(List.of(report(PACK, 2_000), report(PACK, 9_000)));

        final AnalyticsHistory.Page<PackReport> page = history.pack(PACK, 1_000, 9_000, 100);

        assertThat(page.more()).isFalse();
        assertThat(page.rows()).extracting(PackReport::at).containsExactly(1_000L, 2_000L, 3_000L);
        final PackReport first = page.rows().get(0);
        assertThat(first.tenant()).isEqualTo("acme");
        final PackReport stored = report(PACK, 1_000);
        assertThat(first).isEqualTo(new PackReport(stored.pack(), stored.tenant(), stored.at(), stored.samples(),
                stored.steps(), stored.medianOhms(), stored.capacityAh(), stored.capacitySwings(), stored.ampHours(),
                stored.fullCycles(), stored.spreadTrendVoltsPerDay(), stored.dischargeEnds(), List.of(), List.of(),
                List.of(), List.of()));
    }

    @Test
    void aFigureNotKnownYetIsStoredAsNullAndReadBackAsNaN() throws SQLException {
        writer.write(List.of(report(PACK, 1_000)));

        assertThat(history.pack(PACK, 0, 2_000, 10).rows().get(0).spreadTrendVoltsPerDay()).isNaN();
        assertThat(count("analytics_packs WHERE spread_trend_v_per_day IS NULL")).isEqualTo(1);
    }

    @Test
    void aWindowWithMoreThanTheLimitSaysSo() throws SQLException {
        for (long at = 1; at <= 5; at++) {
            writer.write(List.of(report(PACK, at * 1_000)));
        }

        final AnalyticsHistory.Page<PackReport> page = history.pack(PACK, 0, 10_000, 3);

        assertThat(page.more()).isTrue();
        assertThat(page.rows()).extracting(PackReport::at).containsExactly(1_000L, 2_000L, 3_000L);
    }

    @Test
    void aCellsResistanceReadsBackOverTime() throws SQLException {
        writer.write(List.of(report(PACK, 1_000)));
        writer.write(List.of(report(PACK, 2_000)));

        final List<AnalyticsHistory.CellSnapshot> rows = history.cell(PACK, PACK + "/cells/3", 0, 5_000, 10).rows();

        assertThat(rows).extracting(AnalyticsHistory.CellSnapshot::at).containsExactly(1_000L, 2_000L);
        assertThat(rows.get(1).cell()).isEqualTo(report(PACK, 2_000).cells().get(2));
        assertThat(history.cell(PACK, PACK + "/cells/2", 0, 5_000, 10).rows().get(0).cell().resistance()).isNull();
    }

    @Test
    void eachPacksLatestSnapshotComesBackWithItsCellsInOrderAfterAReopen() throws SQLException {
        writer.write(List.of(report(PACK, 1_000), report(OTHER, 1_500)));
        writer.write(List.of(report(PACK, 2_000)));
        writer.close();
        db.close();
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        writer = new AnalyticsSnapshotWriter(db);

        final List<PackReport> latest = new AnalyticsHistory(db).latest(10);

        assertThat(latest).containsExactly(report(PACK, 2_000), report(OTHER, 1_500));
    }

    @Test
    void latestKeepsTheMostRecentlyStoredPacksUpToItsBound() throws SQLException {
        writer.write(List.of(report(PACK, 1_000), report(OTHER, 1_500)));

        assertThat(history.latest(1)).extracting(PackReport::pack).containsExactly(OTHER);
    }

    @Test
    void snapshotsBeforeTheCutAreDeletedWithTheirCells() throws SQLException {
        writer.write(List.of(report(PACK, 1_000), report(OTHER, 1_500)));
        writer.write(List.of(report(PACK, 2_000)));

        assertThat(writer.deleteBefore(2_000)).isEqualTo(2);

        assertThat(history.pack(PACK, 0, 5_000, 10).rows()).extracting(PackReport::at).containsExactly(2_000L);
        assertThat(count("analytics_cells")).isEqualTo(3);
    }

    private long count(final String table) throws SQLException {
        try (Connection reader = db.readerConnection()) {
            return HistoryTestSupport.count(reader, table);
        }
    }
}
