package io.cellwatch.extension.history;

import io.cellwatch.extension.wal.WalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static io.cellwatch.extension.history.HistoryTestSupport.count;
import static io.cellwatch.extension.history.HistoryTestSupport.execute;
import static io.cellwatch.extension.history.HistoryTestSupport.queryDouble;
import static io.cellwatch.extension.history.HistoryTestSupport.queryLong;
import static io.cellwatch.extension.history.HistoryTestSupport.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HistoryWriterTest {

    private static final long T0 = 1_764_057_600_000L; // 2025-11-25T08:00:00Z, a whole hour
    private static final String VOLTAGE = "tenants/t1/plants/p1/racks/r1/packs/k1/cells/1/voltage";
    private static final String TEMPERATURE = "tenants/t1/plants/p1/racks/r1/packs/k1/cells/1/temperature";

    @TempDir
    Path dir;

    private HistoryDatabase db;
    private HistoryWriter writer;
    private Connection reader;
    private final WalBatch wal = new WalBatch();

    @BeforeEach
    void open() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        writer = new HistoryWriter(db);
        reader = db.readerConnection();
        wal.series(1, VOLTAGE).series(2, TEMPERATURE).gateway(7, "pi-7");
    }

    @AfterEach
    void close() throws SQLException {
        reader.close();
        db.close();
    }

    @Test
    void checkpointIsMinusOneBeforeAnyWrite() throws SQLException {
        assertThat(writer.checkpoint()).isEqualTo(-1);
    }

    @Test
    void writeCommitsSamplesDefinitionsAndCheckpointTogether() throws SQLException {
        final List<WalEntry> batch = wal.publish(7, 1, T0, new int[]{1, 2}, new double[]{3.7, 29.1}).take();

        writer.write(batch);

        assertThat(count(reader, "samples")).isEqualTo(2);
        assertThat(count(reader, "series")).isEqualTo(2);
        assertThat(count(reader, "gateways")).isEqualTo(1);
        assertThat(writer.checkpoint()).isEqualTo(batch.get(batch.size() - 1).index());
    }

    @Test
    void storesEverySampleField() throws SQLException {
        writer.write(wal.sample(7, 42, 1, T0, 3.7).sample(7, -1, 2, T0 + 1, 29.1).take());

        assertThat(queryLong(reader, "SELECT ts_ms FROM samples WHERE series_id = 1")).isEqualTo(T0);
        assertThat(queryDouble(reader, "SELECT value FROM samples WHERE series_id = 1")).isEqualTo(3.7);
        assertThat(queryLong(reader, "SELECT received_ms FROM samples WHERE series_id = 1")).isEqualTo(T0 + 5);
        assertThat(queryLong(reader, "SELECT gateway_id FROM samples WHERE series_id = 1")).isEqualTo(7);
        assertThat(queryLong(reader, "SELECT seq FROM samples WHERE series_id = 1")).isEqualTo(42);
        assertThat(queryLong(reader, "SELECT count(*) FROM samples WHERE series_id = 2 AND seq IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void failedWriteLeavesNoSamplesAndNoCheckpoint() throws SQLException {
        writer.write(wal.take());
        final long before = writer.checkpoint();
        // Make the latest upsert, which runs after the samples are appended, fail for a value over 100.
        execute(reader, "DROP TABLE latest");
        execute(reader, "CREATE TABLE latest (series_id INTEGER PRIMARY KEY, ts_ms BIGINT NOT NULL,"
                + " value DOUBLE NOT NULL CHECK (value < 100), received_ms BIGINT NOT NULL, seq BIGINT)");
        final List<WalEntry> batch = wal.sample(7, 1, 1, T0, 3.7).sample(7, 2, 2, T0, 1000).take();

        assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(SQLException.class);

        assertThat(count(reader, "samples")).isZero();
        assertThat(count(reader, "rollup_1m")).isZero();
        assertThat(writer.checkpoint()).isEqualTo(before);
    }

    @Test
    void writeAfterAFailedWriteCommitsOnlyTheNewBatch() throws SQLException {
        writer.write(wal.take());
        execute(reader, "DROP TABLE latest");
        execute(reader, "CREATE TABLE latest (series_id INTEGER PRIMARY KEY, ts_ms BIGINT NOT NULL,"
                + " value DOUBLE NOT NULL CHECK (value < 100), received_ms BIGINT NOT NULL, seq BIGINT)");
        final List<WalEntry> bad = wal.sample(7, 1, 1, T0, 1000).take();
        assertThatThrownBy(() -> writer.write(bad)).isInstanceOf(SQLException.class);

        writer.write(wal.sample(7, 2, 1, T0 + 1, 3.7).take());

        assertThat(count(reader, "samples")).isEqualTo(1);
        assertThat(queryDouble(reader, "SELECT value FROM samples")).isEqualTo(3.7);
    }

    @Test
    void retryingACommittedBatchWritesNothingTwice() throws SQLException {
        final List<WalEntry> batch = wal.sample(7, 1, 1, T0, 3.7).sample(7, 2, 1, T0 + 1000, 3.8).take();
        writer.write(batch);

        writer.write(batch);

        assertThat(count(reader, "samples")).isEqualTo(2);
        assertThat(queryLong(reader, "SELECT count FROM rollup_1m")).isEqualTo(2);
    }

    @Test
    void batchOverlappingTheCheckpointWritesOnlyItsNewEntries() throws SQLException {
        final List<WalEntry> first = wal.sample(7, 1, 1, T0, 3.7).take();
        writer.write(first);
        final List<WalEntry> overlapping = new ArrayList<>(first);
        overlapping.addAll(wal.sample(7, 2, 1, T0 + 1000, 3.8).take());

        writer.write(overlapping);

        assertThat(count(reader, "samples")).isEqualTo(2);
        assertThat(writer.checkpoint()).isEqualTo(overlapping.get(overlapping.size() - 1).index());
    }

    @Test
    void rollupsMergeMinMaxSumCountAndLastAcrossBatches() throws SQLException {
        writer.write(wal.sample(7, 1, 1, T0 + 10_000, 3.5).sample(7, 2, 1, T0 + 20_000, 3.9).take());
        // Same minute again: a later sample, and a replayed older one that must not become "last".
        writer.write(wal.sample(7, 3, 1, T0 + 40_000, 3.6).sample(7, 4, 1, T0 + 5_000, 3.2).take());

        for (final String table : List.of("rollup_1m", "rollup_1h")) {
            final String row = " FROM " + table + " WHERE series_id = 1";
            assertThat(count(reader, table)).isEqualTo(1);
            assertThat(queryLong(reader, "SELECT bucket_ms" + row)).isEqualTo(T0);
            assertThat(queryDouble(reader, "SELECT min" + row)).isEqualTo(3.2);
            assertThat(queryDouble(reader, "SELECT max" + row)).isEqualTo(3.9);
            assertThat(queryDouble(reader, "SELECT sum / count" + row)).isCloseTo(3.55, within(1e-9));
            assertThat(queryLong(reader, "SELECT count" + row)).isEqualTo(4);
            assertThat(queryDouble(reader, "SELECT last" + row)).isEqualTo(3.6);
            assertThat(queryLong(reader, "SELECT last_ts_ms" + row)).isEqualTo(T0 + 40_000);
        }
    }

    @Test
    void rollupsSplitSamplesByMinuteAndHour() throws SQLException {
        writer.write(wal.sample(7, 1, 1, T0, 1).sample(7, 2, 1, T0 + 60_000, 2)
                .sample(7, 3, 1, T0 + 3_600_000, 3).take());

        assertThat(queryString(reader, "SELECT string_agg((bucket_ms - " + T0 + ") || ':' || count, ','"
                + " ORDER BY bucket_ms) FROM rollup_1m")).isEqualTo("0:1,60000:1,3600000:1");
        assertThat(queryString(reader, "SELECT string_agg((bucket_ms - " + T0 + ") || ':' || count, ','"
                + " ORDER BY bucket_ms) FROM rollup_1h")).isEqualTo("0:2,3600000:1");
    }

    @Test
    void latestNeverRegressesToAnOlderSample() throws SQLException {
        writer.write(wal.sample(7, 5, 1, T0 + 1000, 3.8).take());

        writer.write(wal.sample(7, 3, 1, T0, 3.1).take());

        assertThat(queryLong(reader, "SELECT ts_ms FROM latest WHERE series_id = 1")).isEqualTo(T0 + 1000);
        assertThat(queryDouble(reader, "SELECT value FROM latest WHERE series_id = 1")).isEqualTo(3.8);
    }

    @Test
    void latestTakesTheNewestSampleOfABatchWhateverItsOrder() throws SQLException {
        writer.write(wal.sample(7, 2, 1, T0 + 2000, 3.9).sample(7, 1, 1, T0 + 1000, 3.5).take());

        writer.write(wal.sample(7, 3, 1, T0 + 3000, 4.0).take());

        final List<String> rows = new ArrayList<>();
        writer.forEachLatest((id, ts, value, receivedAt, seq) ->
                rows.add(id + " " + (ts - T0) + " " + value + " " + (receivedAt - T0) + " " + seq));
        assertThat(rows).containsExactly("1 3000 4.0 3005 3");
    }

    @Test
    void highestSeqIsRaisedAndNeverLowered() throws SQLException {
        writer.write(wal.sample(7, 10, 1, T0, 3.7).sample(7, 12, 1, T0 + 1, 3.7).take());
        writer.write(wal.sample(7, 11, 1, T0 + 2, 3.7).sample(7, -1, 1, T0 + 3, 3.7).take());

        final List<String> rows = new ArrayList<>();
        writer.forEachGateway((id, key, highestSeq) -> rows.add(id + " " + key.clientId() + " " + highestSeq));
        assertThat(rows).containsExactly("7 pi-7 12");
    }

    @Test
    void gatewayWithoutSeqHasHighestSeqMinusOne() throws SQLException {
        writer.write(wal.sample(7, -1, 1, T0, 3.7).take());

        final List<Long> seqs = new ArrayList<>();
        writer.forEachGateway((id, key, highestSeq) -> seqs.add(highestSeq));
        assertThat(seqs).containsExactly(-1L);
    }

    @Test
    void forEachSeriesReadsBackEveryDefinition() throws SQLException {
        writer.write(wal.take());

        final List<String> rows = new ArrayList<>();
        writer.forEachSeries((id, key) -> rows.add(id + " " + key));
        assertThat(rows).containsExactly("1 " + VOLTAGE, "2 " + TEMPERATURE);
    }

    @Test
    void identicalRedefinitionIsAccepted() throws SQLException {
        writer.write(wal.take());

        writer.write(wal.series(1, VOLTAGE).gateway(7, "pi-7").take());

        assertThat(count(reader, "series")).isEqualTo(2);
        assertThat(count(reader, "gateways")).isEqualTo(1);
    }

    @Test
    void conflictingRedefinitionFailsTheBatch() throws SQLException {
        writer.write(wal.take());
        final long before = writer.checkpoint();

        final List<WalEntry> conflicting = wal.series(3, VOLTAGE).take();

        assertThatThrownBy(() -> writer.write(conflicting)).isInstanceOf(SQLException.class);
        assertThat(writer.checkpoint()).isEqualTo(before);
    }

    @Test
    void historySurvivesReopeningTheFile() throws SQLException {
        writer.write(wal.sample(7, 1, 1, T0, 3.7).take());
        final long checkpoint = writer.checkpoint();
        reader.close();
        db.close();

        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        reader = db.readerConnection();

        assertThat(new HistoryWriter(db).checkpoint()).isEqualTo(checkpoint);
        assertThat(count(reader, "samples")).isEqualTo(1);
    }
}
