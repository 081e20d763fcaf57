package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.source.PackPhysics;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.config.AlertSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Battery analytics through the real broker: two tenants' packs, simulated by {@link PackPhysics} (the demo's
 * physics) at 1 Hz of device time for a simulated day (sent as fast as the broker acknowledges; about 2.2 million
 * publishes; {@code -Danalytics.it.seconds=N} shortens it), each with planted weak cells; the REST ranking names them first, a resistance-outlier rule raises on exactly them, and each
 * tenant sees only its own.
 */
@Timeout(300)
class AnalyticsIT {

    private static final int SECONDS = Integer.getInteger("analytics.it.seconds", 24 * 3600);
    private static final int CELLS = 16;
    private static final int NORDVOLT_CELLS = 8;
    private static final TopicBuilder ACME_PACK = TopicBuilder.tenant("acme").child("plants", "p1")
            .child("racks", "r1").child("packs", "k1");
    private static final TopicBuilder NORDVOLT_PACK = TopicBuilder.tenant("nordvolt").child("plants", "n1")
            .child("racks", "r1").child("packs", "k7");
    private static final int[] ACME_WEAK = {4, 11};
    private static final int[] NORDVOLT_WEAK = {2};

    @TempDir
    static Path dir;
    static CellwatchServer server;

    @BeforeAll
    static void publishADayOfTwoPacks() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Path rules = dir.resolve("conf").resolve("alerts.rules");
        Files.writeString(rules, """
                tenant acme
                alert weak-cell resistance-outlier plants/+/racks/+/packs/+ > 1.5 clear 1.3 severity major
                tenant nordvolt
                alert weak-cell resistance-outlier plants/+/racks/+/packs/+ > 1.5 clear 1.3 severity major
                """);
        server = new CellwatchServer(config.withExtension(config.extension()
                .withAlerts(new AlertSettings(rules, 100))));
        server.start();
        final long start = System.currentTimeMillis() - SECONDS * 1_000L - 60_000;
        final Thread nordvolt = new Thread(() -> simulate(TestAccess.NORDVOLT_GATEWAY, NORDVOLT_PACK,
                new PackPhysics(NORDVOLT_CELLS, 50, 0.6, 2, NORDVOLT_WEAK), start));
        nordvolt.start();
        simulate(TestAccess.ACME_GATEWAY, ACME_PACK, new PackPhysics(CELLS, 50, 0.6, 1, ACME_WEAK), start);
        nordvolt.join();
        // A report of each pack taken after its last sample.
        final HttpApi admin = new HttpApi(server.httpPort());
        for (final Map.Entry<TopicBuilder, Integer> pack : Map.of(ACME_PACK, CELLS, NORDVOLT_PACK, NORDVOLT_CELLS).entrySet()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.getJson("/api/v1/analytics?path="
                    + pack.getKey().node()).path("samples").asLong() == (long) SECONDS * (pack.getValue() + 3));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRankingNamesThePlantedWeakCellsFirst() throws Exception {
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final JsonNode ranking = awaitRanking(operator, "/api/v1/analytics/weakest?limit=5");
        assertThat(List.of(cellOf(ranking, 0), cellOf(ranking, 1)))
                .containsExactlyInAnyOrder(cell(ACME_PACK, ACME_WEAK[0]), cell(ACME_PACK, ACME_WEAK[1]));
        assertThat(ranking.path("cells").get(0).path("ratio").asDouble()).isBetween(1.6, 2.4);
        assertThat(ranking.path("cells").get(2).path("ratio").asDouble()).isLessThan(1.2);
        assertThat(List.of(ranking.path("cells").get(0).path("weak").asBoolean(),
                ranking.path("cells").get(1).path("weak").asBoolean(),
                ranking.path("cells").get(2).path("weak").asBoolean())).containsExactly(true, true, false);
    }

    @Test
    void aResistanceOutlierRuleRaisesOnExactlyThePlantedWeakCells() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        // The alert thread judges each round of reports right after the analytics thread made it.
        await().atMost(Duration.ofSeconds(10)).until(() -> raisedSubjects(acme).size() >= 2
                && !raisedSubjects(nordvolt).isEmpty());
        assertThat(raisedSubjects(acme)).containsExactlyInAnyOrder(cell(ACME_PACK, ACME_WEAK[0]),
                cell(ACME_PACK, ACME_WEAK[1]));
        assertThat(raisedSubjects(nordvolt)).containsExactly(cell(NORDVOLT_PACK, NORDVOLT_WEAK[0]));
        final JsonNode alert = acme.getJson("/api/v1/alerts").path("alerts").get(0);
        assertThat(alert.path("kind").asText()).isEqualTo("resistance-outlier");
        assertThat(alert.path("value").asDouble()).isGreaterThan(1.5);
    }

    @Test
    void aPackReportHasEveryCellsResistanceNearItsTruth() throws Exception {
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final PackPhysics truth = new PackPhysics(CELLS, 50, 0.6, 1, ACME_WEAK);
        final JsonNode report = operator.getJson("/api/v1/analytics?path=" + ACME_PACK.node());
        assertThat(report.path("steps").asLong()).isGreaterThanOrEqualTo(SECONDS / PackPhysics.STEP_SECONDS - 1);
        assertThat(report.path("cells")).hasSize(CELLS);
        for (int c = 0; c < CELLS; c++) {
            final JsonNode cell = report.path("cells").get(c);
            assertThat(cell.path("cell").asText()).isEqualTo(cell(ACME_PACK, c));
            assertThat(cell.path("ohms").asDouble()).as("cell %d", c)
                    .isCloseTo(truth.ohms(c), org.assertj.core.data.Percentage.withPercentage(5));
        }
        assertThat(report.path("ampHours").asDouble()).isPositive();
    }

    @Test
    void aDayOfSamplesGivesTheHourlySpreadOfEveryHour() throws Exception {
        Assumptions.assumeTrue(SECONDS == 24 * 3600, "a whole simulated day");
        final JsonNode report = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR)
                .getJson("/api/v1/analytics?path=" + ACME_PACK.node());
        // A day of device time spans 25 hour buckets (24 from a whole hour), each with spreads at rest and load.
        assertThat(report.path("spreadHours")).hasSizeBetween(24, 25);
        for (final JsonNode hour : report.path("spreadHours")) {
            assertThat(hour.path("restSamples").asLong()).isPositive();
            assertThat(hour.path("loadVolts").asDouble()).isPositive();
        }
    }

    @Test
    void theMetricsCountEachTenantsRankedAndWeakCells() throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
        assertThat(admin.metric("cellwatch_analytics_cells_ranked{tenant=\"acme\"}")).isEqualTo(CELLS);
        assertThat(admin.metric("cellwatch_analytics_cells_weak{tenant=\"acme\"}")).isEqualTo(ACME_WEAK.length);
        assertThat(admin.metric("cellwatch_analytics_cells_ranked{tenant=\"nordvolt\"}")).isEqualTo(NORDVOLT_CELLS);
        assertThat(admin.metric("cellwatch_analytics_cells_weak{tenant=\"nordvolt\"}")).isEqualTo(NORDVOLT_WEAK.length);
    }

    @Test
    void eachTenantSeesOnlyItsOwnPacks() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        final JsonNode nordvoltRanking = awaitRanking(nordvolt, "/api/v1/analytics/weakest?limit=500");
        assertThat(cellOf(nordvoltRanking, 0)).isEqualTo(cell(NORDVOLT_PACK, NORDVOLT_WEAK[0]));
        for (final JsonNode cell : nordvoltRanking.path("cells")) {
            assertThat(cell.path("cell").asText()).startsWith("tenants/nordvolt/");
        }
        for (final JsonNode cell : awaitRanking(acme, "/api/v1/analytics/weakest?limit=500").path("cells")) {
            assertThat(cell.path("cell").asText()).startsWith("tenants/acme/");
        }
        // Another tenant's pack, or its subtree, is refused the same whether it exists or not.
        assertThat(acme.get("/api/v1/analytics?path=" + NORDVOLT_PACK.node()).statusCode()).isEqualTo(403);
        assertThat(acme.get("/api/v1/analytics?path=tenants/nordvolt/plants/nope").statusCode()).isEqualTo(403);
        assertThat(acme.get("/api/v1/analytics/weakest?path=tenants/nordvolt").statusCode()).isEqualTo(403);
        // The global admin ranks both tenants' cells.
        final JsonNode all = awaitRanking(new HttpApi(server.httpPort()), "/api/v1/analytics/weakest?limit=3");
        assertThat(List.of(cellOf(all, 0), cellOf(all, 1), cellOf(all, 2))).containsExactlyInAnyOrder(
                cell(ACME_PACK, ACME_WEAK[0]), cell(ACME_PACK, ACME_WEAK[1]), cell(NORDVOLT_PACK, NORDVOLT_WEAK[0]));
    }

    @Test
    void aBadLimitOrANodeWithoutAnalyticsGetsAClearAnswer() throws Exception {
        final HttpApi acme = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
        assertThat(acme.get("/api/v1/analytics/weakest?limit=0").statusCode()).isEqualTo(400);
        assertThat(acme.get("/api/v1/analytics/weakest?limit=501").statusCode()).isEqualTo(400);
        final var missing = acme.get("/api/v1/analytics?path=tenants/acme/plants/p1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no analytics for tenants/acme/plants/p1");
    }

    /** Publishes {@link #SECONDS} s of one pack's physics as {@code user}. */
    private static void simulate(final String user, final TopicBuilder pack, final PackPhysics physics,
                                 final long start) {
        try (PackPublisher publisher = new PackPublisher(server.mqttPort(), user, pack, physics)) {
            publisher.profile(start, 0, SECONDS);
        }
    }

    private static JsonNode awaitRanking(final HttpApi api, final String query) throws Exception {
        final JsonNode ranking = api.getJson(query);
        assertThat(ranking.path("cells").size()).as(query).isGreaterThanOrEqualTo(1);
        return ranking;
    }

    /** The subjects of the caller's alerts in state raised. */
    private static List<String> raisedSubjects(final HttpApi api) throws Exception {
        final List<String> subjects = new ArrayList<>();
        for (final JsonNode alert : api.getJson("/api/v1/alerts").path("alerts")) {
            if (alert.path("state").asText().equals("raised")) {
                subjects.add(alert.path("subject").asText());
            }
        }
        return subjects;
    }

    private static String cellOf(final JsonNode ranking, final int i) {
        return ranking.path("cells").get(i).path("cell").asText();
    }

    private static String cell(final TopicBuilder pack, final int index) {
        return pack.child("cells", String.valueOf(index + 1)).node();
    }
}
