package io.cellwatch.broker.edge;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.storage.SampleStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway tests assert in a stopped server's DuckDB history: every sample once, without gap, in order. */
final class GatewayHistory {

    private GatewayHistory() {
    }

    /**
     * Asserts that no series of {@link GatewayFiles#CLIENT_ID} holds a {@code seq} twice, that per metric the seqs
     * together are 0..n-1 without a gap with n at least {@code minSamplesPerMetric} for the metrics every simulator
     * record carries ({@code voltage} and {@code soc}: cells and packs alike; only cells have a temperature), and
     * that within each series storage order is seq order.
     */
    static void assertEverySampleOnceAndInOrder(final ServerConfig config, final long minSamplesPerMetric)
            throws Exception {
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement()) {
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM (SELECT series, seq FROM samples_v WHERE gateway"
                    + " = '" + GatewayFiles.CLIENT_ID + "' GROUP BY series, seq HAVING count(*) > 1)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("duplicated samples").isZero();
            }
            for (final String metric : new String[]{"voltage", "soc"}) {
                try (ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT seq), min(seq), max(seq)"
                        + " FROM samples_v WHERE gateway = '" + GatewayFiles.CLIENT_ID + "' AND series LIKE '%/"
                        + metric + "'")) {
                    rs.next();
                    final long count = rs.getLong(1);
                    assertThat(rs.getLong(2)).isEqualTo(count);
                    assertThat(rs.getLong(3)).isZero();
                    assertThat(rs.getLong(4)).as(metric + ": no gap").isEqualTo(count - 1);
                    assertThat(count).as(metric + " samples").isGreaterThanOrEqualTo(minSamplesPerMetric);
                }
            }
        }
        assertStoredInSeqOrder(config);
    }

    /** Asserts that within each series storage order is seq order: no sample stored after one with a higher seq. */
    static void assertStoredInSeqOrder(final ServerConfig config) throws Exception {
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM (SELECT seq, lag(seq) OVER (PARTITION BY"
                     + " series_id ORDER BY rowid) AS prev FROM samples) WHERE prev >= seq")) {
            rs.next();
            assertThat(rs.getLong(1)).as("samples out of order").isZero();
        }
    }

    /** The distinct {@code seq}s of {@link GatewayFiles#CLIENT_ID} in history, ascending. */
    static java.util.TreeSet<Long> seqs(final ServerConfig config) throws Exception {
        final java.util.TreeSet<Long> out = new java.util.TreeSet<>();
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT DISTINCT seq FROM samples_v WHERE gateway = '"
                     + GatewayFiles.CLIENT_ID + "'")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /**
     * Asserts that every record the gateway buffered reached history once: no series of {@link GatewayFiles#CLIENT_ID}
     * holds a {@code seq} twice, and the seqs stored are exactly 0..{@code lastSeq} (a record's metrics share its seq).
     */
    static void assertEveryRecordOnce(final ServerConfig config, final long lastSeq) throws Exception {
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement()) {
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM (SELECT series, seq FROM samples_v WHERE gateway"
                    + " = '" + GatewayFiles.CLIENT_ID + "' GROUP BY series, seq HAVING count(*) > 1)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("duplicated samples").isZero();
            }
            try (ResultSet rs = sql.executeQuery("SELECT count(DISTINCT seq), min(seq), max(seq) FROM samples_v"
                    + " WHERE gateway = '" + GatewayFiles.CLIENT_ID + "'")) {
                rs.next();
                assertThat(rs.getLong(2)).as("first seq").isZero();
                assertThat(rs.getLong(3)).as("last seq").isEqualTo(lastSeq);
                assertThat(rs.getLong(1)).as("records stored, without a gap").isEqualTo(lastSeq + 1);
            }
        }
    }

    /** The values of {@code series} in history, in device-time order (then seq). */
    static java.util.List<Double> values(final ServerConfig config, final String series) throws Exception {
        final java.util.List<Double> out = new java.util.ArrayList<>();
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT value FROM samples_v WHERE series = '" + series
                     + "' ORDER BY ts_ms, seq")) {
            while (rs.next()) {
                out.add(rs.getDouble(1));
            }
        }
        return out;
    }

    /** The device times (epoch ms) of {@code series} in history, in order. */
    static java.util.List<Long> times(final ServerConfig config, final String series) throws Exception {
        final java.util.List<Long> out = new java.util.ArrayList<>();
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT ts_ms FROM samples_v WHERE series = '" + series
                     + "' ORDER BY ts_ms, seq")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Per device time (epoch ms) of {@link GatewayFiles#CLIENT_ID}'s samples, how many series it has: one poll each. */
    static java.util.SortedMap<Long, Long> seriesPerTime(final ServerConfig config) throws Exception {
        final java.util.SortedMap<Long, Long> out = new java.util.TreeMap<>();
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT ts_ms, count(DISTINCT series) FROM samples_v WHERE gateway = '"
                     + GatewayFiles.CLIENT_ID + "' GROUP BY ts_ms")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static Connection openReadOnly(final ServerConfig config) throws Exception {
        final Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:"
                + config.dataDir().resolve(SampleStore.DATABASE_FILE).toAbsolutePath(), readOnly);
    }
}
