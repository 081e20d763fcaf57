package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.PackPhysics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stored analytics through the real broker: acme's pack, simulated by {@link PackPhysics} for {@value #SECONDS} s of
 * device time with a snapshot stored every second, is served over time by {@code /api/v1/analytics/history} to acme
 * only, and its report is still answered after a restart on the same data folder (the last test).
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsHistoryIT {

    private static final int SECONDS = 5 * 60;
    private static final int CELLS = 8;
    private static final TopicBuilder ACME_PACK = TopicBuilder.tenant("acme").child("plants", "p1")
            .child("racks", "r1").child("packs", "k1");
    private static final String HISTORY = "/api/v1/analytics/history?path=" + ACME_PACK.node();

    @TempDir
    static Path dir;
    static ServerConfig config;
    static CellwatchServer server;

    @BeforeAll
    static void publishFiveMinutesOfAPack() throws Exception {
        final ServerConfig base = TestServers.config(dir);
        config = base.withExtension(base.extension().withAnalytics(
                base.extension().analytics().withStoreIntervalSeconds(1)));
        server = new CellwatchServer(config);
        server.start();
        final long start = System.currentTimeMillis() - SECONDS * 1_000L - 60_000;
        try (PackPublisher publisher = new PackPublisher(server.mqttPort(), TestAccess.ACME_GATEWAY, ACME_PACK,
                new PackPhysics(CELLS, 50, 0.6, 3, new int[]{5}))) {
            publisher.profile(start, 0, SECONDS);
        }
        final HttpApi admin = new HttpApi(server.httpPort());
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.getJson("/api/v1/analytics?path="
                + ACME_PACK.node()).path("samples").asLong() == totalSamples());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thePacksStoredSnapshotsAreServedOldestFirst() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        // The last report is stored at most a second after the one before it.
        await().atMost(Duration.ofSeconds(10)).until(() -> lastSamples(acme.getJson(HISTORY)) == totalSamples());
        final JsonNode history = acme.getJson(HISTORY);
        final JsonNode snapshots = history.path("snapshots");
        assertThat(history.path("path").asText()).isEqualTo(ACME_PACK.node());
        assertThat(history.path("more").asBoolean()).isFalse();
        assertThat(snapshots.size()).isGreaterThanOrEqualTo(1);
        long at = 0;
        for (final JsonNode snapshot : snapshots) {
            assertThat(snapshot.path("at").asLong()).isGreaterThan(at);
            at = snapshot.path("at").asLong();
        }
        final JsonNode last = snapshots.get(snapshots.size() - 1);
        assertThat(last.path("steps").asLong()).isGreaterThanOrEqualTo(SECONDS / PackPhysics.STEP_SECONDS - 1);
        assertThat(last.path("medianOhms").asDouble()).isPositive();
        assertThat(last.path("ampHours").asDouble()).isPositive();
    }

    @Test
    void oneCellsResistanceIsServedOverTime() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final String cell = ACME_PACK.child("cells", "6").node();
        await().atMost(Duration.ofSeconds(10)).until(() -> acme.getJson(HISTORY + "&cell=" + cell)
                .path("snapshots").size() >= 1);
        final JsonNode history = acme.getJson(HISTORY + "&cell=" + cell);
        assertThat(history.path("cell").asText()).isEqualTo(cell);
        final JsonNode snapshots = history.path("snapshots");
        final JsonNode last = snapshots.get(snapshots.size() - 1);
        assertThat(last.path("ohms").asDouble()).isCloseTo(new PackPhysics(CELLS, 50, 0.6, 3, new int[]{5}).ohms(5),
                org.assertj.core.data.Percentage.withPercentage(10));
        assertThat(last.path("ratio").asDouble()).isGreaterThan(1.3);
    }

    @Test
    void anotherTenantIsRefusedTheHistoryOfAcmesPackAndOfAMissingOneAlike() throws Exception {
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        final HttpResponse<String> existing = nordvolt.get(HISTORY);
        final HttpResponse<String> missing = nordvolt.get(
                "/api/v1/analytics/history?path=tenants/acme/plants/p9/racks/r1/packs/k9");
        assertThat(existing.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(existing.body().replace(ACME_PACK.node(), "X"))
                .isEqualTo(missing.body().replace("tenants/acme/plants/p9/racks/r1/packs/k9", "X"));
        assertThat(nordvolt.get(HISTORY + "&cell=" + ACME_PACK.child("cells", "1").node()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void badRangesLimitsAndCellsAreRefusedWithAClearMessage() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        assertRefused(acme.get(HISTORY + "&from=2000&to=1000"), "from: must not be after to");
        assertRefused(acme.get(HISTORY + "&from=yesterday"), "from: expected epoch milliseconds");
        assertRefused(acme.get(HISTORY + "&limit=0"), "limit: expected a whole number from 1 to");
        assertRefused(acme.get(HISTORY + "&cell=tenants/acme/plants/p1/racks/r1/packs/k2/cells/1"),
                "cell: must be a cell of " + ACME_PACK.node());
        assertRefused(acme.get("/api/v1/analytics/history"), "path: a pack's path is required");
    }

    /** Last: the live report it ends with is a fresh one of three samples, not the stored one. */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterARestartThePacksLastStoredReportIsAnsweredUntilAFreshOne() throws Exception {
        server.close();
        server = new CellwatchServer(config);
        server.start();
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);

        final JsonNode report = acme.getJson("/api/v1/analytics?path=" + ACME_PACK.node());
        assertThat(report.path("stored").asBoolean()).isTrue();
        assertThat(report.path("samples").asLong()).isEqualTo(totalSamples());
        assertThat(report.path("cells")).hasSize(CELLS);
        assertThat(report.path("cells").get(5).path("ohms").asDouble()).isPositive();
        // The ranking counts the stored report too: the planted weak cell first.
        assertThat(acme.getJson("/api/v1/analytics/weakest?limit=1").path("cells").get(0).path("cell").asText())
                .isEqualTo(ACME_PACK.child("cells", "6").node());

        // Another client id of the gateway: a fresh duplicate guard, so seq 1 is taken.
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY + "-after-restart",
                server.mqttPort(), TestAccess.ACME_GATEWAY);
        Gateways.publish(gateway, ACME_PACK.node(), PayloadWriter.node(List.of("current", "soc", "voltage"),
                new double[]{-40, 0.5, 26.4}, System.currentTimeMillis(), 1));
        gateway.disconnect();
        await().atMost(Duration.ofSeconds(10)).until(() -> !acme.getJson("/api/v1/analytics?path="
                + ACME_PACK.node()).path("stored").asBoolean());
        assertThat(acme.getJson("/api/v1/analytics?path=" + ACME_PACK.node()).path("samples").asLong())
                .isEqualTo(3);
    }

    private static void assertRefused(final HttpResponse<String> response, final String message) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(message);
    }

    private static long lastSamples(final JsonNode history) {
        final JsonNode snapshots = history.path("snapshots");
        return snapshots.isEmpty() ? -1 : snapshots.get(snapshots.size() - 1).path("samples").asLong();
    }

    private static long totalSamples() {
        return (long) SECONDS * (CELLS + 3);
    }
}
