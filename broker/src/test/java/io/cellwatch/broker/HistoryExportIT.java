package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.HttpLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.cellwatch.broker.HttpIsolationChecks.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/export}: acme's gateway publishes samples with device times into two plants; the CSV of a cell,
 * a pack and a plant holds exactly their raw samples, a range over {@code http.max-export-rows} is refused before any
 * row, and nordvolt's operator and callers without a login get none of acme's bytes.
 */
@Timeout(120)
class HistoryExportIT {

    private static final String P1 = "tenants/acme/plants/p1";
    private static final String K1 = P1 + "/racks/r1/packs/k1";
    private static final String CELL = K1 + "/cells/1";
    private static final String T0 = "2026-01-02T03:00:00.000Z";
    private static final String T1 = "2026-01-02T03:00:01.000Z";
    private static final long FROM = Instant.parse("2026-01-02T00:00:00Z").toEpochMilli();
    private static final long TO = Instant.parse("2026-01-03T00:00:00Z").toEpochMilli();
    /** Plant p1 holds 6 rows and tenant acme 7: the limit lets the plant through and refuses the tenant. */
    private static final int MAX_ROWS = 6;
    private static final String HEADER = "series,ts,value,seq,received";
    private static final String RECEIVED = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @TempDir
    static Path dir;
    static CellwatchServer server;

    @BeforeAll
    static void startServerWithAcmeHistory() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        server = new CellwatchServer(config.withExtension(config.extension()
                .withHttp(config.extension().http().withMaxExportRows(MAX_ROWS))));
        server.start();
        final Mqtt5BlockingClient acme = Gateways.connect("gw-acme-1-export", server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        publish(acme, CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"seq\":1,\"ts\":\"" + T0 + "\"}");
        publish(acme, CELL, "{\"voltage\":3.71,\"temperature\":25.6,\"seq\":2,\"ts\":\"" + T1 + "\"}");
        publish(acme, K1 + "/cells/2", "{\"voltage\":3.6,\"seq\":3,\"ts\":\"" + T0 + "\"}");
        publish(acme, P1 + "/racks/r1/packs/k2/cells/1", "{\"voltage\":3.5,\"seq\":4,\"ts\":\"" + T0 + "\"}");
        publish(acme, "tenants/acme/plants/p2/racks/r1/packs/k1/cells/1",
                "{\"voltage\":3.4,\"seq\":5,\"ts\":\"" + T0 + "\"}");
        acme.disconnect();
        // All 7 samples are in DuckDB once the history API counts them.
        final HttpApi admin = new HttpApi(server.httpPort());
        await().atMost(Duration.ofSeconds(20)).until(() -> storedSamples(admin) == 7);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void exportsTheRawSamplesOfACellOrderedBySeriesThenTime() throws Exception {
        final HttpResponse<String> response = export(TestAccess.ACME_OPERATOR, CELL);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\""
                + "cellwatch_tenants_acme_plants_p1_racks_r1_packs_k1_cells_1_20260102T000000Z_20260103T000000Z.csv\"");
        assertThat(rowsWithoutReceived(response)).containsExactly(
                CELL + "/temperature," + T0 + ",25.5,1",
                CELL + "/temperature," + T1 + ",25.6,2",
                CELL + "/voltage," + T0 + ",3.7,1",
                CELL + "/voltage," + T1 + ",3.71,2");
    }

    @Test
    void exportsEverySeriesOfAPack() throws Exception {
        final HttpResponse<String> response = export(TestAccess.ACME_OPERATOR, K1);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(rowsWithoutReceived(response)).containsExactly(
                CELL + "/temperature," + T0 + ",25.5,1",
                CELL + "/temperature," + T1 + ",25.6,2",
                CELL + "/voltage," + T0 + ",3.7,1",
                CELL + "/voltage," + T1 + ",3.71,2",
                K1 + "/cells/2/voltage," + T0 + ",3.6,3");
    }

    @Test
    void exportsEverySeriesOfAPlantAndNoneOfAnother() throws Exception {
        final HttpResponse<String> response = export(TestAccess.ACME_OPERATOR, P1);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(rowsWithoutReceived(response)).containsExactly(
                CELL + "/temperature," + T0 + ",25.5,1",
                CELL + "/temperature," + T1 + ",25.6,2",
                CELL + "/voltage," + T0 + ",3.7,1",
                CELL + "/voltage," + T1 + ",3.71,2",
                K1 + "/cells/2/voltage," + T0 + ",3.6,3",
                P1 + "/racks/r1/packs/k2/cells/1/voltage," + T0 + ",3.5,4");
    }

    @Test
    void anEmptyRangeIsTheHeaderAlone() throws Exception {
        final HttpResponse<String> response = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR)
                .get("/api/v1/export?path=" + enc(CELL) + "&from=0&to=1000");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HEADER + "\r\n");
    }

    @Test
    void refusesARangeOverTheRowLimitBeforeAnyRowNamingTheLimitAndTheSetting() throws Exception {
        final HttpResponse<String> response = export(TestAccess.ACME_OPERATOR, "tenants/acme");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Disposition")).isEmpty();
        final JsonNode error = HttpApi.JSON.readTree(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").asText()).contains("7 rows").contains("limit of " + MAX_ROWS)
                .contains(HttpLimits.MAX_EXPORT_ROWS);
        assertThat(error.path("limit").asInt()).isEqualTo(MAX_ROWS);
        assertThat(error.path("rows").asInt()).isEqualTo(7);
        assertThat(error.path("setting").asText()).isEqualTo(HttpLimits.MAX_EXPORT_ROWS);
        assertThat(response.body()).doesNotContain("3.7");
        assertThat(new HttpApi(server.httpPort()).metric("cellwatch_http_exports_refused_total{reason=\"rows\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void nordvoltOperatorAskingForAnAcmePathGets403AndNoneOfAcmesBytes() throws Exception {
        for (final String path : List.of(CELL, K1, P1, "tenants/acme", "tenants/acme/plants/nope")) {
            final HttpResponse<String> response = export(TestAccess.NORDVOLT_OPERATOR, path);

            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Disposition")).isEmpty();
            assertThat(HttpApi.JSON.readTree(response.body()).path("type").asText()).isEqualTo("error");
            assertThat(response.body()).doesNotContain("3.7").doesNotContain("voltage").doesNotContain(HEADER);
        }
    }

    @Test
    void nordvoltOperatorsWholeExportLeavesAcmeOut() throws Exception {
        final HttpResponse<String> response = export(TestAccess.NORDVOLT_OPERATOR, "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HEADER + "\r\n");
    }

    @Test
    void anUnauthenticatedCallerGets401AndNoBytes() throws Exception {
        final HttpResponse<String> response = new HttpApi(server.httpPort(), "nobody", "nothing")
                .get("/api/v1/export?path=" + enc(CELL) + "&from=" + FROM + "&to=" + TO);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("3.7").doesNotContain(HEADER);
    }

    private static HttpResponse<String> export(final String user, final String path) throws Exception {
        return new HttpApi(server.httpPort(), user)
                .get("/api/v1/export?path=" + enc(path) + "&from=" + FROM + "&to=" + TO + "&format=csv");
    }

    /** The body's lines after the header, each without its {@code received} field, which is server time. */
    private static List<String> rowsWithoutReceived(final HttpResponse<String> response) {
        assertThat(response.body()).startsWith(HEADER + "\r\n").endsWith("\r\n");
        final List<String> lines = Arrays.asList(response.body().split("\r\n"));
        return lines.subList(1, lines.size()).stream().map(line -> {
            final int cut = line.lastIndexOf(',');
            assertThat(line.substring(cut + 1)).matches(RECEIVED);
            return line.substring(0, cut);
        }).toList();
    }

    private static void publish(final Mqtt5BlockingClient client, final String topic, final String payload) {
        assertThat(Gateways.publish(client, topic, payload).isError()).as(topic).isFalse();
    }

    /** acme's samples in DuckDB in the test's day, counted by the history API (7 series, at most 2 each). */
    private static long storedSamples(final HttpApi admin) throws Exception {
        long count = 0;
        for (final String series : List.of(CELL + "/voltage", CELL + "/temperature", K1 + "/cells/2/voltage",
                P1 + "/racks/r1/packs/k2/cells/1/voltage", "tenants/acme/plants/p2/racks/r1/packs/k1/cells/1/voltage")) {
            final JsonNode history = admin.getJson("/api/v1/history?series=" + enc(series) + "&from=" + FROM
                    + "&to=" + TO);
            for (final JsonNode s : history.path("series")) {
                for (final JsonNode point : s.path("points")) {
                    count += point.path("count").asLong();
                }
            }
        }
        return count;
    }
}
