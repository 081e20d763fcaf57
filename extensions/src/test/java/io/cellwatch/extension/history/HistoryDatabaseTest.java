package io.cellwatch.extension.history;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import static io.cellwatch.extension.history.HistoryTestSupport.count;
import static io.cellwatch.extension.history.HistoryTestSupport.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryDatabaseTest {

    private static final long T0 = 1_764_057_600_000L; // 2025-11-25T08:00:00Z
    private static final String VOLTAGE = "tenants/t1/plants/p1/racks/r1/packs/k1/cells/1/voltage";

    @TempDir
    Path dir;

    private void writeOneSample(final HistoryDatabase db) throws SQLException {
        new HistoryWriter(db).write(new WalBatch().series(1, VOLTAGE).gateway(0, "pi-1")
                .sample(0, 9, 1, T0 + 1_500, 3.7).take());
    }

    @Test
    void createsTheFileAndItsFolders() throws SQLException {
        final Path file = dir.resolve("data/history/cellwatch.duckdb");

        try (HistoryDatabase db = HistoryDatabase.open(file)) {
            assertThat(db.file()).exists();
        }
    }

    @Test
    void reopeningKeepsSchemaAndData() throws SQLException {
        final Path file = dir.resolve("history.duckdb");
        try (HistoryDatabase db = HistoryDatabase.open(file)) {
            writeOneSample(db);
        }

        try (HistoryDatabase db = HistoryDatabase.open(file); Connection reader = db.readerConnection()) {
            assertThat(count(reader, "samples")).isEqualTo(1);
        }
    }

    @Test
    void aGatewaysTableKeyedByClientIdAloneIsRebuiltWithItsRowsKept() throws SQLException {
        final Path file = dir.resolve("history.duckdb");
        try (Connection old = new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
             java.sql.Statement statement = old.createStatement()) {
            statement.execute("CREATE TABLE gateways (id INTEGER PRIMARY KEY, client_id VARCHAR NOT NULL UNIQUE,"
                    + " highest_seq BIGINT NOT NULL)");
            statement.execute("INSERT INTO gateways VALUES (0, 'gw-acme-1', 41)");
        }

        try (HistoryDatabase db = HistoryDatabase.open(file)) {
            new HistoryWriter(db).write(new WalBatch().gateway(1, new io.cellwatch.extension.ingest.GatewayKey(
                    "nordvolt", "gw-nordvolt-1", "gw-acme-1")).take());
            try (Connection reader = db.readerConnection()) {
                assertThat(queryString(reader, "SELECT string_agg(id || ':' || client_id || ':' || tenant || ':'"
                        + " || user_name || ':' || highest_seq, ' ' ORDER BY id) FROM gateways"))
                        .isEqualTo("0:gw-acme-1:::41 1:gw-acme-1:nordvolt:gw-nordvolt-1:-1");
            }
        }
    }

    @Test
    void viewsShowSeriesKeysAndUtcTimestamps() throws SQLException {
        try (HistoryDatabase db = HistoryDatabase.open(dir.resolve("history.duckdb"));
             Connection reader = db.readerConnection()) {
            writeOneSample(db);

            assertThat(queryString(reader, "SELECT series || ' ' || ts || ' ' || value || ' ' || gateway || ' ' || seq"
                    + " FROM samples_v")).isEqualTo(VOLTAGE + " 2025-11-25 08:00:01.5 3.7 pi-1 9");
            assertThat(queryString(reader, "SELECT series || ' ' || bucket || ' ' || avg || ' ' || count"
                    + " FROM rollup_1m_v")).isEqualTo(VOLTAGE + " 2025-11-25 08:00:00 3.7 1");
            assertThat(queryString(reader, "SELECT typeof(bucket) || ' ' || bucket FROM rollup_1h_v"))
                    .isEqualTo("TIMESTAMP 2025-11-25 08:00:00");
            assertThat(queryString(reader, "SELECT series || ' ' || ts FROM latest_v"))
                    .isEqualTo(VOLTAGE + " 2025-11-25 08:00:01.5");
        }
    }

    @Test
    void snapshotCanBeOpenedReadOnlyWhileTheDatabaseIsOpen() throws SQLException {
        final Path snapshot = dir.resolve("snapshot.duckdb");
        try (HistoryDatabase db = HistoryDatabase.open(dir.resolve("history.duckdb"))) {
            writeOneSample(db);

            db.snapshot(snapshot);

            final Properties readOnly = new Properties();
            readOnly.setProperty(DuckDBDriver.DUCKDB_READONLY_PROPERTY, "true");
            try (Connection copy = new DuckDBDriver().connect("jdbc:duckdb:" + snapshot, readOnly)) {
                assertThat(queryString(copy, "SELECT series FROM samples_v")).isEqualTo(VOLTAGE);
                assertThat(count(copy, "wal_checkpoint")).isEqualTo(1);
            }
        }
    }

    @Test
    void snapshotRefusesAnExistingTarget() throws SQLException {
        try (HistoryDatabase db = HistoryDatabase.open(dir.resolve("history.duckdb"))) {
            db.snapshot(dir.resolve("snapshot.duckdb"));

            assertThatThrownBy(() -> db.snapshot(dir.resolve("snapshot.duckdb")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("already exists");
        }
    }

    @Test
    void closeIsIdempotentAndEndsConnectionHandout() throws SQLException {
        final HistoryDatabase db = HistoryDatabase.open(dir.resolve("history.duckdb"));

        db.close();
        db.close();

        assertThatThrownBy(db::readerConnection).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(db::writerConnection).isInstanceOf(IllegalStateException.class);
    }
}
