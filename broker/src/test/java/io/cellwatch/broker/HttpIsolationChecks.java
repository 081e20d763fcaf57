package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.cellwatch.contract.LiveCommand;
import io.cellwatch.contract.TopicBuilder;
import org.junit.jupiter.api.DynamicTest;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP and WebSocket half of the tenant isolation suite: the nordvolt operator (and callers without a dashboard
 * login) try to read tenant {@code acme} over REST and the live WebSocket of the node operators use. Shared by a
 * single node ({@code TenantIsolationIT}) and a serving node fed through Kafka ({@code ServingNodeIsolationIT}); what
 * differs between the two is passed in: the node's ports and conf folder, how acme's gateway publishes again, and
 * how long acme's data may take to show on the node.
 */
final class HttpIsolationChecks {

    static final String ACME_PACK = "tenants/acme/plants/p1/racks/r1/packs/k1";
    static final String ACME_CELL = ACME_PACK + "/cells/1";
    static final String ACME_VOLTAGE = ACME_CELL + "/voltage";
    static final String ACME_META = "tenants/acme/plants/p1/meta";
    /** What acme's gateway publishes on {@link #ACME_CELL}, every time: acme's data must stay these values. */
    static final String ACME_SAMPLE = "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}";

    /** acme's gateway publishes {@link #ACME_SAMPLE} again, where acme's gateways publish in the setup. */
    @FunctionalInterface
    interface AcmePublishes {
        void again() throws Exception;
    }

    private final int httpPort;
    private final int acmeMqttPort;
    private final Path confDir;
    private final AcmePublishes acme;
    private final Duration dataShows;
    private final AtomicInteger attempts;

    /**
     * @param httpPort     HTTP port of the node operators use (the single node, or the serving node)
     * @param acmeMqttPort MQTT port acme's gateways connect to (the single node, or an ingest node)
     * @param confDir      conf folder of the node that evaluates alerts (the node at {@code httpPort})
     * @param acme         acme's gateway publishing again
     * @param dataShows    how long a publish or gateway state change of acme may take to show on the node
     * @param attempts     counts every attempt on acme made here
     */
    HttpIsolationChecks(final int httpPort, final int acmeMqttPort, final Path confDir, final AcmePublishes acme,
                        final Duration dataShows, final AtomicInteger attempts) {
        this.httpPort = httpPort;
        this.acmeMqttPort = acmeMqttPort;
        this.confDir = confDir;
        this.acme = acme;
        this.dataShows = dataShows;
        this.attempts = attempts;
    }

    Stream<DynamicTest> nordvoltOperatorCannotReadAcmeOverRest() {
        final HttpApi nordvolt = new HttpApi(httpPort, TestAccess.NORDVOLT_OPERATOR);
        final Map<String, Integer> forbidden = new TreeMap<>(Map.ofEntries(
                Map.entry("/api/v1/tree?path=tenants/acme", 403),
                Map.entry("/api/v1/tree?path=" + enc(ACME_CELL), 403),
                Map.entry("/api/v1/tree?path=tenants/nope", 403),
                Map.entry("/api/v1/snapshot?path=tenants/acme", 403),
                Map.entry("/api/v1/snapshot?path=" + enc(ACME_VOLTAGE), 403),
                Map.entry("/api/v1/snapshot?path=tenants/acme/plants", 403),
                Map.entry("/api/v1/history?series=" + enc(ACME_VOLTAGE), 403),
                Map.entry("/api/v1/history?series=tenants/nordvolt/x/voltage&series=" + enc(ACME_VOLTAGE), 403),
                Map.entry("/api/v1/history?series=" + enc("tenants/acme/../nordvolt/x"), 403),
                Map.entry("/metrics", 403),
                Map.entry("/api/v1/plants?path=tenants/acme", 403),
                Map.entry("/api/v1/plants?path=tenants/acme/plants/p1", 403),
                Map.entry("/api/v1/export?path=tenants/acme", 403),
                Map.entry("/api/v1/export?path=tenants/acme/plants/p1&format=csv", 403),
                Map.entry("/api/v1/export?path=" + enc(ACME_CELL), 403),
                Map.entry("/api/v1/export?path=" + enc(ACME_VOLTAGE) + "&from=0", 403),
                Map.entry("/api/v1/export?path=tenants/nope", 403),
                Map.entry("/api/v1/alerts/history?node=tenants/acme", 403),
                Map.entry("/api/v1/alerts/history?node=" + enc(ACME_VOLTAGE) + "&from=0", 403),
                Map.entry("/api/v1/alerts/history?node=tenants/nope", 403),
                Map.entry("/api/v1/metrics/meta?path=tenants/acme", 403),
                Map.entry("/api/v1/metrics/meta?path=" + enc(ACME_CELL), 403),
                Map.entry("/api/v1/analytics?path=" + enc(ACME_PACK), 403),
                Map.entry("/api/v1/analytics?path=tenants/nope/plants/p1/racks/r1/packs/k1", 403),
                Map.entry("/api/v1/analytics/weakest?path=tenants/acme", 403),
                Map.entry("/api/v1/analytics/weakest?path=" + enc(ACME_PACK), 403),
                Map.entry("/api/v1/analytics/history?path=" + enc(ACME_PACK), 403),
                Map.entry("/api/v1/analytics/history?path=" + enc(ACME_PACK) + "&cell=" + enc(ACME_CELL), 403),
                Map.entry("/api/v1/analytics/history?path=tenants/acme/plants/p9/racks/r1/packs/k9&from=0", 403),
                Map.entry("/api/v1/analytics/history?path=tenants/nope/plants/p1/racks/r1/packs/k1", 403)));
        return forbidden.entrySet().stream().map(e -> DynamicTest.dynamicTest("GET " + e.getKey(), () -> {
            attempts.incrementAndGet();
            final HttpResponse<String> response = nordvolt.get(e.getKey());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(e.getValue());
            // The error may echo the caller's own request, never acme's data.
            assertThat(HttpApi.JSON.readTree(response.body()).path("type").asText()).isEqualTo("error");
            assertThat(response.body()).doesNotContain("3.7").doesNotContain("samples").doesNotContain("children");
        }));
    }

    Stream<DynamicTest> nordvoltOperatorsWideQueriesLeaveAcmeOut() {
        final HttpApi nordvolt = new HttpApi(httpPort, TestAccess.NORDVOLT_OPERATOR);
        return Stream.of("/api/v1/tree", "/api/v1/tree?path=tenants", "/api/v1/snapshot",
                "/api/v1/snapshot?path=tenants", "/api/v1/me", "/api/v1/plants", "/api/v1/plants?path=tenants",
                "/api/v1/export", "/api/v1/export?path=tenants&from=0", "/api/v1/alerts/history?from=0",
                "/api/v1/alerts/history?node=tenants&from=0", "/api/v1/metrics/meta",
                "/api/v1/metrics/meta?path=tenants", "/api/v1/analytics/weakest",
                "/api/v1/analytics/weakest?path=tenants&limit=500")
                .map(path -> DynamicTest.dynamicTest("GET " + path, () -> {
                    attempts.incrementAndGet();
                    final HttpResponse<String> response = nordvolt.get(path);
                    // "tenants" alone is no node of the tree (levels come in pairs): 404 there, like for everyone.
                    assertThat(response.statusCode()).isIn(200, 404);
                    assertThat(response.body()).doesNotContain("acme");
                }));
    }

    Stream<DynamicTest> identitiesWithoutADashboardLoginGetNothing() {
        return Stream.of(
                new HttpApi(httpPort, TestAccess.NORDVOLT_GATEWAY),
                new HttpApi(httpPort, TestAccess.NORDVOLT_OPERATOR, "wrong password"),
                new HttpApi(httpPort, "nobody", "nothing")).map(api -> DynamicTest.dynamicTest(
                "unauthorized caller", () -> {
                    attempts.incrementAndGet();
                    final HttpResponse<String> response = api.get("/api/v1/snapshot?path=tenants/acme");
                    assertThat(response.statusCode()).isEqualTo(401);
                    assertThat(response.body()).doesNotContain("acme/plants");
                }));
    }

    Stream<DynamicTest> nordvoltOperatorCannotWatchAcmeOverWebSocket() {
        return Stream.of("tenants/acme", ACME_CELL, "tenants/acme/plants").map(path -> DynamicTest.dynamicTest(
                "live subscribe " + path, () -> {
                    attempts.incrementAndGet();
                    try (LiveClient live = new LiveClient(httpPort, TestAccess.NORDVOLT_OPERATOR)) {
                        live.subscribe(path);
                        final JsonNode frame = live.next(5);
                        assertThat(frame.path("type").asText()).isEqualTo("error");
                        assertThat(frame.path("error").asText()).contains("outside what you may see");
                        acme.again();
                        assertThat(live.poll(500)).isNull();
                    }
                }));
    }

    Stream<DynamicTest> nordvoltOperatorsWideLiveSubscriptionsLeaveAcmeOut() {
        return Stream.of("", "tenants").map(path -> DynamicTest.dynamicTest("live subscribe '" + path + "'", () -> {
            attempts.incrementAndGet();
            try (LiveClient live = new LiveClient(httpPort, TestAccess.NORDVOLT_OPERATOR)) {
                live.subscribe(path);
                assertThat(live.next(5).toString()).doesNotContain("acme");
                acme.again();
                final JsonNode frame = live.poll(500);
                assertThat(frame == null ? "" : frame.toString()).doesNotContain("acme");
            }
        }));
    }

    void anUnauthenticatedWebSocketIsRefused() {
        attempts.incrementAndGet();
        assertThatThrownBy(() -> new LiveClient(httpPort, "nobody", "nothing"))
                .hasStackTraceContaining("Unexpected HTTP response status code 401");
    }

    /** Gateways have no HTTP login at all (401); an operator is known but not a global admin (403). */
    void nordvoltCannotUseTheAdminDisconnectAction() throws Exception {
        for (final Map.Entry<String, Integer> user : Map.of(TestAccess.NORDVOLT_OPERATOR, 403,
                TestAccess.NORDVOLT_GATEWAY, 401).entrySet()) {
            attempts.incrementAndGet();
            assertThat(new HttpApi(httpPort, user.getKey()).post("/api/v1/clients/disconnect?client=gw-acme-1")
                    .statusCode()).isEqualTo(user.getValue());
        }
    }

    void nordvoltOperatorListsNoneOfAcmesGateways() throws Exception {
        attempts.incrementAndGet();
        final JsonNode seenByAdmin = new HttpApi(httpPort).getJson("/api/v1/gateways");
        assertThat(seenByAdmin.toString()).as("the admin sees acme's gateway").contains("\"gateway\":\"gw-acme-1\"");
        final JsonNode seenByNordvolt = new HttpApi(httpPort, TestAccess.NORDVOLT_OPERATOR)
                .getJson("/api/v1/gateways");
        assertThat(seenByNordvolt.path("gateways").isArray()).isTrue();
        assertThat(seenByNordvolt.toString()).doesNotContain("acme");
    }

    void nordvoltOperatorsLiveGatewayStatesLeaveAcmeOut() throws Exception {
        attempts.incrementAndGet();
        try (LiveClient nordvolt = new LiveClient(httpPort, TestAccess.NORDVOLT_OPERATOR);
             LiveClient acmeOperator = new LiveClient(httpPort, TestAccess.ACME_OPERATOR)) {
            nordvolt.watchGateways();
            acmeOperator.watchGateways();
            final JsonNode snapshot = nordvolt.next(5);
            assertThat(snapshot.path("type").asText()).isEqualTo("gateways");
            assertThat(snapshot.toString()).doesNotContain("acme");
            assertThat(acmeOperator.next(5).toString()).contains("gw-acme-1");
            // An acme gateway comes and goes: acme's operator sees both changes, nordvolt's nothing.
            Gateways.connect("gw-acme-1-isolation", acmeMqttPort, TestAccess.ACME_GATEWAY).disconnect();
            assertThat(acmeOperator.next(dataShows.toSeconds()).toString()).contains("gw-acme-1-isolation")
                    .contains("online");
            assertThat(acmeOperator.next(dataShows.toSeconds()).toString()).contains("gw-acme-1-isolation")
                    .contains("offline");
            final JsonNode leaked = nordvolt.poll(500);
            assertThat(leaked == null ? "" : leaked.toString()).doesNotContain("acme");
        }
    }

    /**
     * {@code /healthz} and {@code /readyz} need no login: whoever asks, logged in as nordvolt or not at all, learns
     * nothing of acme (tenant, gateway, series, value); {@code /metrics} stays admins-only.
     */
    Stream<DynamicTest> healthEndpointsTellNobodyAnythingOfAcme() {
        final HttpApi nordvolt = new HttpApi(httpPort, TestAccess.NORDVOLT_OPERATOR);
        final HttpApi stranger = new HttpApi(httpPort, "nobody", "wrong");
        return Stream.of("/healthz", "/readyz", "/metrics").flatMap(path -> Stream.of(
                DynamicTest.dynamicTest("GET " + path + " as nordvolt", () -> health(nordvolt, path)),
                DynamicTest.dynamicTest("GET " + path + " without a login", () -> health(stranger, path))));
    }

    private void health(final HttpApi caller, final String path) throws Exception {
        attempts.incrementAndGet();
        final HttpResponse<String> response = caller.get(path);
        if (path.equals("/metrics")) {
            assertThat(response.statusCode()).isIn(401, 403, 429);
        } else {
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(response.body()).doesNotContain("acme").doesNotContain("gw-").doesNotContain("tenants")
                .doesNotContain("3.7");
    }

    /**
     * An alert rule of acme's is raised by acme's next publish; nordvolt's operator neither lists, nor
     * acknowledges, nor watches it live, nor learns acme's rules. Returns the alert's id, still raised.
     */
    String nordvoltOperatorSeesAcknowledgesAndReceivesNoneOfAcmesAlerts() throws Exception {
        attempts.incrementAndGet();
        final HttpApi admin = new HttpApi(httpPort);
        Files.writeString(confDir.resolve("alerts.rules"), """
                tenant acme
                alert warm threshold plants/+/racks/+/packs/+/cells/+/temperature > 20
                tenant nordvolt
                alert hot threshold plants/+/racks/+/packs/+/cells/+/temperature > 60
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getJson("/api/v1/alerts/status")
                .path("tenants").size() == 2);
        try (LiveClient nordvoltLive = new LiveClient(httpPort, TestAccess.NORDVOLT_OPERATOR)) {
            nordvoltLive.send(LiveCommand.alerts());
            assertThat(nordvoltLive.next(5).path("type").asText()).isEqualTo("alerts");
            // The same values again: acme's data stays as it was, and its rule raises an alert.
            acme.again();
            final JsonNode raised = await().atMost(dataShows)
                    .until(() -> admin.getJson("/api/v1/alerts?state=raised"), a -> a.path("alerts").size() == 1)
                    .path("alerts").get(0);
            final String id = raised.path("id").asText();
            assertThat(raised.path("tenant").asText()).isEqualTo("acme");
            assertThat(new HttpApi(httpPort, TestAccess.ACME_OPERATOR).getJson("/api/v1/alerts")
                    .path("alerts").size()).as("acme's operator sees it").isEqualTo(1);

            final HttpApi nordvolt = new HttpApi(httpPort, TestAccess.NORDVOLT_OPERATOR);
            final JsonNode listed = nordvolt.getJson("/api/v1/alerts");
            assertThat(listed.path("alerts").isArray()).isTrue();
            assertThat(listed.path("alerts").size()).isZero();
            assertThat(nordvolt.get("/api/v1/alerts?node=tenants/acme").statusCode()).isEqualTo(403);
            assertThat(nordvolt.post("/api/v1/alerts/acknowledge?tenant=acme&id=" + enc(id)).statusCode())
                    .isEqualTo(403);
            assertThat(nordvolt.post("/api/v1/alerts/acknowledge?id=" + enc(id)).statusCode()).isEqualTo(404);
            // The stored history of the raise: acme's operator lists it, nordvolt's operator nothing of acme.
            final String events = "/api/v1/alerts/history?from=0";
            await().atMost(dataShows.plusSeconds(10)).until(() -> new HttpApi(httpPort, TestAccess.ACME_OPERATOR)
                    .getJson(events).toString().contains(id));
            final JsonNode history = nordvolt.getJson(events);
            assertThat(history.path("events").isArray()).isTrue();
            assertThat(history.toString()).doesNotContain("acme").doesNotContain(id);
            assertThat(nordvolt.get("/api/v1/alerts/history?node=tenants/acme").statusCode()).isEqualTo(403);
            final JsonNode status = nordvolt.getJson("/api/v1/alerts/status");
            assertThat(status.path("tenants").size()).isEqualTo(1);
            assertThat(status.toString()).doesNotContain("acme");
            final JsonNode leaked = nordvoltLive.poll(500);
            assertThat(leaked == null ? "" : leaked.toString()).doesNotContain("acme");
            assertThat(admin.getJson("/api/v1/alerts?state=raised").path("alerts").get(0).path("id").asText())
                    .as("still raised, nobody acknowledged it").isEqualTo(id);
            return id;
        }
    }

    /** Waits until {@code more} further synthetic probes of the node have been committed to its DuckDB. */
    void awaitProbes(final int more) throws Exception {
        final HttpApi admin = new HttpApi(httpPort);
        final double before = probesCommitted(admin);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> probesCommitted(admin) >= before + more);
    }

    private static double probesCommitted(final HttpApi admin) throws Exception {
        try {
            return admin.metric("cellwatch_probe_history_seconds_count");
        } catch (final AssertionError notYet) {
            return 0;
        }
    }

    Stream<DynamicTest> nobodyNotEvenTheGlobalAdminReadsTheProbesTenantOverRest() throws Exception {
        awaitProbes(1);
        final String probe = TopicBuilder.probe();
        final List<String> forbidden = List.of("/api/v1/tree?path=tenants/~cellwatch",
                "/api/v1/tree?path=" + enc("tenants/~cellwatch/probes/e2e"), "/api/v1/snapshot?path=tenants/~cellwatch",
                "/api/v1/snapshot?path=" + enc(probe), "/api/v1/history?series=" + enc(probe),
                "/api/v1/plants?path=tenants/~cellwatch", "/api/v1/export?path=tenants/~cellwatch",
                "/api/v1/export?path=" + enc(probe), "/api/v1/alerts/history?node=tenants/~cellwatch",
                "/api/v1/metrics/meta?path=tenants/~cellwatch", "/api/v1/analytics/weakest?path=tenants/~cellwatch",
                "/api/v1/analytics?path=" + enc(probe),
                "/api/v1/analytics/history?path=" + enc("tenants/~cellwatch/probes/e2e"));
        final List<String> wide = List.of("/api/v1/tree", "/api/v1/snapshot", "/api/v1/snapshot?path=tenants",
                "/api/v1/gateways", "/api/v1/alerts", "/api/v1/plants", "/api/v1/me", "/api/v1/export",
                "/api/v1/alerts/history?from=0", "/api/v1/metrics/meta", "/api/v1/analytics/weakest?limit=500");
        return Stream.of(TestAccess.ADMIN, TestAccess.ACME_OPERATOR, TestAccess.NORDVOLT_OPERATOR).flatMap(user -> {
            final HttpApi caller = new HttpApi(httpPort, user);
            return Stream.concat(
                    forbidden.stream().map(path -> DynamicTest.dynamicTest(user + " GET " + path, () -> {
                        attempts.incrementAndGet();
                        final HttpResponse<String> response = caller.get(path);
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                        assertThat(response.body()).doesNotContain("samples").doesNotContain("children");
                    })),
                    wide.stream().map(path -> DynamicTest.dynamicTest(user + " GET " + path, () -> {
                        attempts.incrementAndGet();
                        final HttpResponse<String> response = caller.get(path);
                        assertThat(response.statusCode()).isIn(200, 404);
                        assertThat(response.body()).doesNotContain("~cellwatch").doesNotContain("cellwatch:probe");
                    })));
        });
    }

    void nobodyNotEvenTheGlobalAdminWatchesTheProbesTenantLive() throws Exception {
        for (final String user : List.of(TestAccess.ADMIN, TestAccess.ACME_OPERATOR)) {
            try (LiveClient everything = new LiveClient(httpPort, user);
                 LiveClient probe = new LiveClient(httpPort, user)) {
                attempts.incrementAndGet();
                probe.subscribe("tenants/~cellwatch");
                final JsonNode refused = probe.next(5);
                assertThat(refused.path("type").asText()).isEqualTo("error");
                assertThat(refused.path("error").asText()).contains("outside what you may see");

                everything.subscribe("");
                assertThat(everything.next(5).toString()).doesNotContain("~cellwatch");
                awaitProbes(2);
                acme.again();
                for (JsonNode frame; (frame = everything.poll(500)) != null; ) {
                    assertThat(frame.toString()).doesNotContain("~cellwatch");
                }
                assertThat(probe.poll(100)).isNull();
            }
        }
    }

    /** acme's latest values on the node, by series key, as its admin reads them. */
    Map<String, Double> acmeSamples() throws Exception {
        final Map<String, Double> samples = new TreeMap<>();
        for (final JsonNode sample : new HttpApi(httpPort).snapshot("tenants/acme").path("samples")) {
            samples.put(sample.path("series").asText(), sample.path("value").asDouble());
        }
        return samples;
    }

    /** acme's nodes in the node's tree, as its admin reads them. */
    List<String> acmeTree() throws Exception {
        return new HttpApi(httpPort).treePaths().stream().filter(p -> p.contains("acme")).sorted().toList();
    }

    static String enc(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
