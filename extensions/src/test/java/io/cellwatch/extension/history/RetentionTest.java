package io.cellwatch.extension.history;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static io.cellwatch.extension.history.HistoryTestSupport.count;
import static io.cellwatch.extension.history.HistoryTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionTest {

    private static final long NOW = 1_764_057_600_000L;
    private static final long DAY = TimeUnit.DAYS.toMillis(1);

    @TempDir
    Path dir;

    private HistoryDatabase db;
    private Connection reader;

    @BeforeEach
    void open() throws SQLException {
        db = HistoryDatabase.open(dir.resolve("history.duckdb"));
        reader = db.readerConnection();
        // One sample 40 days old, one 10 days old, one an hour old: each lands in its own minute and hour.
        new HistoryWriter(db).write(new WalBatch().series(1, "tenants/t1/plants/p1/soc").gateway(0, "pi")
                .sample(0, 1, 1, NOW - 40 * DAY, 0.5)
                .sample(0, 2, 1, NOW - 10 * DAY, 0.6)
                .sample(0, 3, 1, NOW - 3_600_000, 0.7).take());
    }

    @AfterEach
    void close() throws SQLException {
        reader.close();
        db.close();
    }

    @Test
    void deletesOnlyRowsOlderThanTheirRetention() throws SQLException {
        final Retention.Deleted deleted = new Retention(db, 7, 30).enforce(NOW);

        assertThat(deleted).isEqualTo(new Retention.Deleted(2, 1, 1));
        assertThat(queryLong(reader, "SELECT ts_ms FROM samples")).isEqualTo(NOW - 3_600_000);
        assertThat(count(reader, "rollup_1m")).isEqualTo(2);
        assertThat(count(reader, "rollup_1h")).isEqualTo(2);
        assertThat(queryLong(reader, "SELECT min(bucket_ms) FROM rollup_1m")).isEqualTo(NOW - 10 * DAY);
    }

    @Test
    void keepsSeriesGatewaysLatestAndCheckpoint() throws SQLException {
        final long checkpoint = new HistoryWriter(db).checkpoint();

        new Retention(db, 1, 1).enforce(NOW + 100 * DAY);

        assertThat(count(reader, "series")).isEqualTo(1);
        assertThat(count(reader, "gateways")).isEqualTo(1);
        assertThat(count(reader, "latest")).isEqualTo(1);
        assertThat(new HistoryWriter(db).checkpoint()).isEqualTo(checkpoint);
    }

    @Test
    void secondRunDeletesNothing() throws SQLException {
        final Retention retention = new Retention(db, 7, 30);
        retention.enforce(NOW);

        assertThat(retention.enforce(NOW)).isEqualTo(new Retention.Deleted(0, 0, 0));
    }

    @Test
    void refusesRetentionBelowOneDay() {
        assertThatThrownBy(() -> new Retention(db, 0, 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention must be at least 1 day, got raw 0, rollup 30");
    }
}
