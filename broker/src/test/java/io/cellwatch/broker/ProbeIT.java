package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.storage.SampleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The synthetic probe on a real server: its sample goes through the broker, the live fan-out and DuckDB, its metrics
 * move on {@code /metrics}, and {@code /readyz} depends on it.
 */
@Timeout(180)
class ProbeIT {

    private static final Map<String, String> NONE = Map.of();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Map<String, PrometheusText.Family> scrape(final CellwatchServer server) throws Exception {
        final HttpResponse<String> response = new HttpApi(server.httpPort()).get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static double value(final Map<String, PrometheusText.Family> families, final String family,
                                final String sample, final Map<String, String> labels) {
        assertThat(families).as("family %s on /metrics", family).containsKey(family);
        return families.get(family).value(sample, labels).orElse(0.0);
    }

    private static double count(final Map<String, PrometheusText.Family> families, final String histogram) {
        assertThat(families.get(histogram).type()).as(histogram).isEqualTo("histogram");
        return value(families, histogram, histogram + "_count", NONE);
    }

    private static double lost(final Map<String, PrometheusText.Family> families, final String hop) {
        return value(families, "cellwatch_probe_lost_total", "cellwatch_probe_lost_total", Map.of("hop", hop));
    }

    private HttpResponse<String> readyz(final CellwatchServer server) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/readyz"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CellwatchServer start(final Path dir) throws Exception {
        // A probe every second; each hop may take 10 s (a loaded machine), so /readyz fails 13 s without one.
        final ServerConfig config = TestServers.withProbe(TestServers.config(dir), 1, 10);
        final CellwatchServer server = new CellwatchServer(config);
        server.start();
        return server;
    }

    @Test
    void probeSamplesGoThroughLiveAndHistoryAndTheServerIsReady() throws Exception {
        final ServerConfig config;
        final double historyCount;
        try (CellwatchServer server = start(dir)) {
            config = server.config();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                final Map<String, PrometheusText.Family> now = scrape(server);
                assertThat(count(now, "cellwatch_probe_live_seconds")).isGreaterThanOrEqualTo(3);
                assertThat(count(now, "cellwatch_probe_history_seconds")).isGreaterThanOrEqualTo(3);
            });
            final Map<String, PrometheusText.Family> families = scrape(server);
            final double sent = value(families, "cellwatch_probe_sent_total", "cellwatch_probe_sent_total", NONE);
            historyCount = count(families, "cellwatch_probe_history_seconds");
            assertThat(sent).isGreaterThanOrEqualTo(historyCount);
            assertThat(families.get("cellwatch_probe_lost_total").type()).isEqualTo("counter");
            assertThat(families.get("cellwatch_probe_last_success_age_seconds").type()).isEqualTo("gauge");
            assertThat(value(families, "cellwatch_probe_last_success_age_seconds",
                    "cellwatch_probe_last_success_age_seconds", NONE)).isLessThan(13);
            // The latency sums are real durations: positive, and below the 10 s a hop may take.
            final double liveSum = value(families, "cellwatch_probe_live_seconds", "cellwatch_probe_live_seconds_sum",
                    NONE);
            assertThat(liveSum).isPositive();
            assertThat(liveSum / count(families, "cellwatch_probe_live_seconds")).isLessThan(10);
            // Probe samples are not device samples: the ingest counters stay at zero without devices.
            assertThat(value(families, "cellwatch_ingest_samples_accepted_total",
                    "cellwatch_ingest_samples_accepted_total", NONE)).isZero();

            final HttpResponse<String> ready = readyz(server);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            final JsonNode checks = HttpApi.JSON.readTree(ready.body()).path("checks");
            assertThat(checks.path("probe").asText()).isEqualTo("ok");
            assertThat(ready.body()).doesNotContain("~cellwatch", "tenants");
        }
        // Every probe the history hop saw is in the DuckDB file, under the internal tenant, by the probe's login.
        try (Connection db = openReadOnly(config); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT count(*), count(DISTINCT seq), min(g.tenant), min(g.client_id)"
                     + " FROM samples s JOIN series k ON k.id = s.series_id JOIN gateways g ON g.id = s.gateway_id"
                     + " WHERE k.key = '" + TopicBuilder.probe() + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isGreaterThanOrEqualTo((long) historyCount);
            assertThat(rows.getLong(2)).isEqualTo(rows.getLong(1));
            assertThat(rows.getString(3)).isEqualTo("~cellwatch");
            assertThat(rows.getString(4)).isEqualTo("cellwatch:probe");
        }
    }

    @Test
    void adminDisconnectRefusesTheProbeWithAClearMessage() throws Exception {
        try (CellwatchServer server = start(dir)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(count(scrape(server), "cellwatch_probe_live_seconds")).isGreaterThanOrEqualTo(1));
            final HttpApi admin = new HttpApi(server.httpPort());
            for (final String action : new String[] {"", "&session=end"}) {
                final HttpResponse<String> answer = admin.post("/api/v1/clients/disconnect?client=cellwatch%3Aprobe"
                        + action);
                assertThat(answer.statusCode()).as(action + ": " + answer.body()).isEqualTo(403);
                assertThat(HttpApi.JSON.readTree(answer.body()).path("error").asText())
                        .as(action).contains("synthetic probe", "probe.interval-seconds");
            }
            // Still connected: the probe keeps getting through.
            final double live = count(scrape(server), "cellwatch_probe_live_seconds");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(count(scrape(server), "cellwatch_probe_live_seconds")).isGreaterThan(live));
        }
    }

    @Test
    void aProbeThatCannotReachHistoryMakesTheServerNotReady() throws Exception {
        try (CellwatchServer server = start(dir)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(count(scrape(server), "cellwatch_probe_history_seconds")).isGreaterThanOrEqualTo(1);
                assertThat(readyz(server).statusCode()).isEqualTo(200);
            });
            final double liveBefore = count(scrape(server), "cellwatch_probe_live_seconds");

            server.extension().stopHistoryWriter();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                final HttpResponse<String> seen = readyz(server);
                assertThat(seen.statusCode()).isEqualTo(503);
                final JsonNode body = HttpApi.JSON.readTree(seen.body());
                assertThat(body.path("checks").path("probe").asText())
                        .startsWith("no synthetic probe through to live view and history for ");
                // Public answer: nothing of the internal tenant or any other.
                assertThat(seen.body()).doesNotContain("~cellwatch", "tenants", "cellwatch:probe");
            });
            final Map<String, PrometheusText.Family> after = scrape(server);
            assertThat(lost(after, "history")).isGreaterThanOrEqualTo(1);
            // Only the history hop is broken: the live view still gets the probe's samples.
            assertThat(count(after, "cellwatch_probe_live_seconds")).isGreaterThan(liveBefore);
            assertThat(value(after, "cellwatch_probe_last_success_age_seconds",
                    "cellwatch_probe_last_success_age_seconds", NONE)).isGreaterThan(13);
        }
    }

    private static Connection openReadOnly(final ServerConfig config) throws Exception {
        final Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:"
                + config.dataDir().resolve(SampleStore.DATABASE_FILE).toAbsolutePath(), readOnly);
    }
}
