package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.config.NodeRole;
import io.cellwatch.testing.kafka.KafkaTestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cellwatch.broker.HttpIsolationChecks.ACME_CELL;
import static io.cellwatch.broker.HttpIsolationChecks.ACME_SAMPLE;
import static io.cellwatch.broker.HttpIsolationChecks.ACME_VOLTAGE;
import static io.cellwatch.broker.HttpIsolationChecks.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tenant isolation across the Kafka link: acme's gateway publishes to an ingest node, a serving node builds its views
 * from Kafka, and the HTTP and WebSocket attacks of the isolation suite ({@link HttpIsolationChecks}) run against
 * the serving node. Added: what only a cluster has, nordvolt's own data arriving through the same link, and nordvolt
 * writing into acme on the ingest node.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingNodeIsolationIT implements HttpIsolationSuite {

    /** How long a publish or gateway state change on the ingest node may take to show on the serving node. */
    private static final Duration THROUGH_KAFKA = Duration.ofSeconds(30);
    private static final String NORDVOLT_VOLTAGE = "tenants/nordvolt/plants/n1/racks/r1/packs/k1/cells/1/voltage";
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();
    /** Publishes of acme's gateway on {@code ACME_CELL}, each one sample of {@code ACME_VOLTAGE}. */
    private static final AtomicInteger ACME_PUBLISHES = new AtomicInteger();

    @TempDir
    static Path dir;
    static KafkaTestBroker kafka;
    static CellwatchServer ingest;
    static CellwatchServer serve;
    static Mqtt5BlockingClient acmeGateway;
    static HttpIsolationChecks http;

    @Override
    public HttpIsolationChecks http() {
        return http;
    }
    static Map<String, Double> acmeBefore;
    static List<String> acmeTreeBefore;

    @BeforeAll
    static void startClusterWithAcmeDataOnTheServingNode() throws Exception {
        kafka = KafkaTestBroker.start(dir.resolve("kafka"));
        // The ingest node maps factory machines into acme: a mapped write by nordvolt is one more way into acme.
        TestMapping.write(dir.resolve("ingest").resolve("conf"));
        ingest = TestCluster.start(dir.resolve("ingest"), NodeRole.INGEST, "ingest-1", kafka.bootstrapServers());
        // The serving node's synthetic probe every second: its internal tenant must stay out of everything below.
        serve = new CellwatchServer(TestServers.withProbe(TestCluster.config(dir.resolve("serve"), NodeRole.SERVE,
                "serve-1", kafka.bootstrapServers()), 1, 10));
        serve.start();
        acmeGateway = Gateways.connect(TestAccess.ACME_GATEWAY, ingest.config().mqttPort(), TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(acmeGateway, ACME_CELL, ACME_SAMPLE).isError()).isFalse();
        ACME_PUBLISHES.incrementAndGet();
        acmeGateway.publishWith().topic(HttpIsolationChecks.ACME_META).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("{\"name\":\"acme p1\"}".getBytes(StandardCharsets.UTF_8)).send();
        final HttpApi admin = new HttpApi(serve.httpPort());
        await().atMost(THROUGH_KAFKA).until(() -> admin.latest(ACME_VOLTAGE) != null);
        http = new HttpIsolationChecks(serve.httpPort(), ingest.config().mqttPort(), dir.resolve("serve")
                .resolve("conf"), ServingNodeIsolationIT::acmePublishesAgainThroughKafka, THROUGH_KAFKA, ATTEMPTS);
        acmeBefore = http.acmeSamples();
        acmeTreeBefore = http.acmeTree();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        final Closer closer = new Closer();
        closer.add(kafka);
        closer.add(ingest);
        closer.add(serve);
        closer.add(acmeGateway::disconnect);
        closer.close();
    }

    /**
     * acme's gateway publishes again on the ingest node, and returns once the serving node shows it: the checks that
     * follow watch for a leak of data the serving node has, not of data still on its way.
     */
    private static void acmePublishesAgainThroughKafka() throws Exception {
        final HttpApi admin = new HttpApi(serve.httpPort());
        final long before = tsOf(admin, ACME_VOLTAGE);
        assertThat(Gateways.publish(acmeGateway, ACME_CELL, ACME_SAMPLE).isError()).isFalse();
        ACME_PUBLISHES.incrementAndGet();
        await().atMost(THROUGH_KAFKA).until(() -> tsOf(admin, ACME_VOLTAGE) > before);
    }

    private static long tsOf(final HttpApi api, final String series) throws Exception {
        for (final JsonNode sample : api.snapshot(series).path("samples")) {
            if (sample.path("series").asText().equals(series)) {
                return sample.path("ts").asLong();
            }
        }
        return 0;
    }

    @Test
    @Order(13)
    void nordvoltCannotUseTheAdminDisconnectAction() throws Exception {
        http.nordvoltCannotUseTheAdminDisconnectAction();
        assertThat(acmeGateway.getState().isConnected()).isTrue();
    }

    @Test
    @Order(16)
    void nordvoltOperatorSeesAcknowledgesAndReceivesNoneOfAcmesAlerts() throws Exception {
        http.nordvoltOperatorSeesAcknowledgesAndReceivesNoneOfAcmesAlerts();
    }

    @Test
    @Order(30)
    void nordvoltGatewayWritingIntoAcmeIsRefusedOnTheIngestNodeAndNothingOfItReachesTheServingNode() throws Exception {
        final double deniedBefore = deniedPublishesOnTheIngestNode();
        try (Connection nordvolt = new Connection(Gateways.connect(
                TestAccess.NORDVOLT_GATEWAY + "-attacker", ingest.config().mqttPort(), TestAccess.NORDVOLT_GATEWAY))) {
            for (final Map.Entry<String, String> attempt : Map.of(
                    ACME_VOLTAGE, "6.66",
                    ACME_CELL, "{\"voltage\":6.66,\"temperature\":6.66}",
                    "tenants/acme/plants/p1/racks/r1/packs/k1/cells/66/voltage", "6.66",
                    TopicBuilder.gatewayStatus("acme", TestAccess.ACME_GATEWAY), "{\"state\":\"offline\"}",
                    "factory/machine/evil/telemetry", "{\"machine_id\":\"cnc\",\"temperature\":6.66}").entrySet()) {
                ATTEMPTS.incrementAndGet();
                assertThat(Gateways.publish(nordvolt.client, attempt.getKey(), attempt.getValue()))
                        .as(attempt.getKey()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            }
            ATTEMPTS.incrementAndGet();
            assertThatThrownBy(() -> nordvolt.client.publishWith().topic(HttpIsolationChecks.ACME_META)
                    .qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload("{\"name\":\"owned 6.66\"}".getBytes(StandardCharsets.UTF_8)).send())
                    .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
            // nordvolt's own write goes through, and acme's next publish is on the serving node: whatever the ingest
            // node had taken of the attempts before it (same WAL, same tenant key, same partition) is there too.
            assertThat(Gateways.publish(nordvolt.client, NORDVOLT_VOLTAGE, "3.5").isError()).isFalse();
        }
        acmePublishesAgainThroughKafka();
        final HttpApi admin = new HttpApi(serve.httpPort());
        await().atMost(THROUGH_KAFKA).until(() -> admin.latest(NORDVOLT_VOLTAGE) != null);

        assertThat(deniedPublishesOnTheIngestNode() - deniedBefore).isGreaterThanOrEqualTo(6);
        assertThat(http.acmeTree()).isEqualTo(acmeTreeBefore);
        assertThat(http.acmeSamples()).isEqualTo(acmeBefore);
        assertThat(admin.snapshot("tenants/acme").toString()).doesNotContain("6.66");
        assertThat(admin.get("/api/v1/plants").body()).doesNotContain("owned");
        for (final JsonNode gateway : admin.getJson("/api/v1/gateways").path("gateways")) {
            if (gateway.path("tenant").asText().equals("acme")) {
                assertThat(gateway.path("user").asText()).as(gateway.toString()).startsWith("gw-acme-");
            }
            if (gateway.path("gateway").asText().equals(TestAccess.ACME_GATEWAY)) {
                assertThat(gateway.path("state").asText()).as("nordvolt's fake status").isEqualTo("online");
            }
        }
    }

    @Test
    @Order(31)
    void nordvoltOperatorsWideQueriesOnTheServingNodeShowNordvoltsDataAndNoneOfAcmesFromTheSameLink()
            throws Exception {
        final HttpApi admin = new HttpApi(serve.httpPort());
        try (Connection nordvoltGateway = new Connection(Gateways.connect(
                TestAccess.NORDVOLT_GATEWAY, ingest.config().mqttPort(), TestAccess.NORDVOLT_GATEWAY))) {
            assertThat(Gateways.publish(nordvoltGateway.client, NORDVOLT_VOLTAGE, "3.25").isError()).isFalse();
            await().atMost(THROUGH_KAFKA).until(() -> Double.valueOf(3.25).equals(admin.latest(NORDVOLT_VOLTAGE)));
            assertThat(admin.latest(ACME_VOLTAGE)).as("acme's data is on the serving node").isEqualTo(3.7);

            final HttpApi nordvolt = new HttpApi(serve.httpPort(), TestAccess.NORDVOLT_OPERATOR);
            for (final String path : List.of("/api/v1/tree", "/api/v1/snapshot", "/api/v1/gateways",
                    "/api/v1/history?series=" + enc(NORDVOLT_VOLTAGE))) {
                ATTEMPTS.incrementAndGet();
                final HttpResponse<String> response = nordvolt.get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(response.body()).as(path).contains("nordvolt").doesNotContain("acme");
            }

            try (LiveClient wide = new LiveClient(serve.httpPort(), TestAccess.NORDVOLT_OPERATOR);
                 LiveClient acmeOperator = new LiveClient(serve.httpPort(), TestAccess.ACME_OPERATOR)) {
                ATTEMPTS.incrementAndGet();
                wide.subscribe("");
                acmeOperator.subscribe("tenants/acme");
                assertThat(wide.next(5).toString()).contains("3.25").doesNotContain("acme");
                assertThat(acmeOperator.next(5).path("type").asText()).isEqualTo("snapshot");
                acmePublishesAgainThroughKafka();
                assertThat(acmeOperator.next(5).toString()).as("acme's own operator gets it live")
                        .contains(ACME_VOLTAGE);
                assertThat(Gateways.publish(nordvoltGateway.client, NORDVOLT_VOLTAGE, "3.5").isError()).isFalse();
                // acme's publish is on the serving node already: every frame until nordvolt's own new value, and
                // any after it, leaves acme out.
                for (JsonNode frame = wide.next(THROUGH_KAFKA.toSeconds()); !carries(frame, NORDVOLT_VOLTAGE, 3.5);
                     frame = wide.next(THROUGH_KAFKA.toSeconds())) {
                    assertThat(frame.toString()).doesNotContain("acme");
                }
                final JsonNode after = wide.poll(500);
                assertThat(after == null ? "" : after.toString()).doesNotContain("acme");
            }
        }
    }

    @Test
    @Order(100)
    void acmesDataOnTheServingNodeIsUnchangedAfterEveryAttempt() throws Exception {
        final HttpApi admin = new HttpApi(serve.httpPort());
        assertThat(http.acmeSamples()).isEqualTo(acmeBefore);
        assertThat(http.acmeTree()).isEqualTo(acmeTreeBefore);
        // Stored once per acme publish, each 3.7: no sample of anyone else's in acme's history.
        await().atMost(THROUGH_KAFKA).untilAsserted(() -> assertThat(acmesHistory(admin, ACME_VOLTAGE)).singleElement()
                .satisfies(point -> assertThat(point.path("count").asInt()).isEqualTo(ACME_PUBLISHES.get())));
        assertThat(acmesHistory(admin, ACME_VOLTAGE)).singleElement().satisfies(point -> {
            assertThat(point.path("min").asDouble()).isEqualTo(3.7);
            assertThat(point.path("max").asDouble()).isEqualTo(3.7);
        });
        assertThat(deniedPublishesOnTheIngestNode()).isPositive();
        assertThat(ATTEMPTS.get()).as("attempts made").isGreaterThanOrEqualTo(30);
    }

    /** Whether {@code frame} is a live delta with {@code value} for {@code series}. */
    private static boolean carries(final JsonNode frame, final String series, final double value) {
        for (final JsonNode sample : frame.path("samples")) {
            if (frame.path("type").asText().equals("delta") && sample.path("series").asText().equals(series)
                    && sample.path("value").asDouble() == value) {
                return true;
            }
        }
        return false;
    }

    private static double deniedPublishesOnTheIngestNode() throws Exception {
        try {
            return new HttpApi(ingest.httpPort()).metric("cellwatch_mqtt_acl_denied_total{action=\"publish\"}");
        } catch (final AssertionError noneYet) {
            return 0;
        }
    }

    /** The points of {@code series} in the serving node's DuckDB over the last hour, one bucket; never none. */
    private static List<JsonNode> acmesHistory(final HttpApi admin, final String series) throws Exception {
        final HttpResponse<String> response = admin.get("/api/v1/history?series=" + enc(series) + "&points=1&from="
                + (System.currentTimeMillis() - 3_600_000) + "&to=" + (System.currentTimeMillis() + 60_000));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        final List<JsonNode> points = new ArrayList<>();
        HttpApi.JSON.readTree(response.body()).path("series").path(0).path("points").forEach(points::add);
        assertThat(points).as("acme's history on the serving node").isNotEmpty();
        return points;
    }

    /** An MQTT connection the test closes when done. */
    private record Connection(Mqtt5BlockingClient client) implements AutoCloseable {
        @Override
        public void close() {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }
}
