package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.config.NodeRole;
import io.cellwatch.testing.kafka.KafkaTestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two ingest nodes and one serving node linked by a real Kafka broker (KRaft, its own JVM): gateways publish to
 * either ingest node; the operator sees both plants on the serving node, live and in history.
 */
@Timeout(180)
class ScaleOutIT {

    @TempDir
    static Path dir;
    static KafkaTestBroker kafka;
    static CellwatchServer ingestA;
    static CellwatchServer ingestB;
    static CellwatchServer serve;
    static Mqtt5BlockingClient gatewayA;
    static Mqtt5BlockingClient gatewayB;

    @BeforeAll
    static void startCluster() throws Exception {
        kafka = KafkaTestBroker.start(dir.resolve("kafka"));
        ingestA = TestCluster.start(dir.resolve("ingest-a"), NodeRole.INGEST, "ingest-a", kafka.bootstrapServers());
        ingestB = TestCluster.start(dir.resolve("ingest-b"), NodeRole.INGEST, "ingest-b", kafka.bootstrapServers());
        serve = TestCluster.start(dir.resolve("serve"), NodeRole.SERVE, "serve-1", kafka.bootstrapServers());
        gatewayA = Gateways.connect(TestAccess.ACME_GATEWAY + "-a", ingestA.config().mqttPort(),
                TestAccess.ACME_GATEWAY);
        gatewayB = Gateways.connect(TestAccess.ACME_GATEWAY + "-b", ingestB.config().mqttPort(),
                TestAccess.ACME_GATEWAY);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        final Closer closer = new Closer();
        closer.add(kafka);
        closer.add(ingestB);
        closer.add(ingestA);
        closer.add(serve);
        closer.add(gatewayA::disconnect);
        closer.add(gatewayB::disconnect);
        closer.close();
    }

    @Test
    void operatorOnTheServingNodeSeesPlantsOfBothIngestNodesLive() throws Exception {
        final String plantA = "tenants/acme/plants/live-a";
        final String plantB = "tenants/acme/plants/live-b";
        Gateways.publish(gatewayA, plantA + "/racks/r1/voltage", "1.5");
        Gateways.publish(gatewayB, plantB + "/racks/r1/voltage", "2.5");
        final HttpApi operator = new HttpApi(serve.httpPort(), TestAccess.ACME_OPERATOR);
        await().atMost(Duration.ofSeconds(30)).until(() -> operator.latest(plantB + "/racks/r1/voltage") != null
                && operator.latest(plantA + "/racks/r1/voltage") != null);

        try (LiveClient live = new LiveClient(serve.httpPort(), TestAccess.ACME_OPERATOR)) {
            live.subscribe("tenants/acme");
            assertThat(live.next(10).path("type").asText()).isEqualTo("snapshot");

            assertThat(Gateways.publish(gatewayA, plantA + "/racks/r1/voltage", "1.75"))
                    .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
            assertThat(Gateways.publish(gatewayB, plantB + "/racks/r1/voltage", "2.75"))
                    .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);

            final Map<String, Double> seen = new HashMap<>();
            while (!seen.containsKey(plantA + "/racks/r1/voltage") || !seen.containsKey(plantB + "/racks/r1/voltage")
                    || seen.get(plantA + "/racks/r1/voltage") != 1.75 || seen.get(plantB + "/racks/r1/voltage") != 2.75) {
                final JsonNode frame = live.next(20);
                assertThat(frame.path("type").asText()).isEqualTo("delta");
                seen.putAll(values(frame));
            }
        }
    }

    @Test
    void historyOnTheServingNodeHoldsThePlantsOfBothIngestNodes() throws Exception {
        final String seriesA = "tenants/acme/plants/hist-a/racks/r1/packs/k1/cells/1/voltage";
        final String seriesB = "tenants/acme/plants/hist-b/racks/r1/packs/k1/cells/1/voltage";
        for (int i = 0; i < 10; i++) {
            Gateways.publish(gatewayA, seriesA, "3." + i);
            Gateways.publish(gatewayB, seriesB, "3." + i);
        }
        final HttpApi operator = new HttpApi(serve.httpPort(), TestAccess.ACME_OPERATOR);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(storedCount(operator, seriesA)).isEqualTo(10);
            assertThat(storedCount(operator, seriesB)).isEqualTo(10);
        });
    }

    @Test
    void aGatewayThatMovesToTheOtherIngestNodeAndSendsAgainIsStoredOnce() throws Exception {
        final String series = "tenants/acme/plants/moved/racks/r1/voltage";
        final String clientId = TestAccess.ACME_GATEWAY + "-mover";
        final Mqtt5BlockingClient first = Gateways.connect(clientId, ingestA.config().mqttPort(),
                TestAccess.ACME_GATEWAY);
        for (int seq = 1; seq <= 60; seq++) {
            Gateways.publish(first, series, "{\"v\":" + seq + ",\"seq\":" + seq + "}");
        }
        first.disconnect();
        // The gateway moved to the other node and sends its last 20 again (it never saw their PUBACKs), then more.
        final Mqtt5BlockingClient moved = Gateways.connect(clientId, ingestB.config().mqttPort(),
                TestAccess.ACME_GATEWAY);
        for (int seq = 41; seq <= 100; seq++) {
            Gateways.publish(moved, series, "{\"v\":" + seq + ",\"seq\":" + seq + "}");
        }
        moved.disconnect();
        final HttpApi operator = new HttpApi(serve.httpPort(), TestAccess.ACME_OPERATOR);

        await().atMost(Duration.ofSeconds(30)).until(() -> storedCount(operator, series) >= 100);
        // Whatever arrives late is in by now: the guard dropped the 20 sent twice.
        Thread.sleep(1_000);
        assertThat(storedCount(operator, series)).isEqualTo(100);
    }

    @Test
    void aPlantsRetainedMetaOnAnIngestNodeShowsOnTheServingNodesMapAndItsClearRemovesIt() throws Exception {
        final String plant = "tenants/acme/plants/mapped";
        Gateways.publish(gatewayA, plant + "/racks/r1/voltage", "1.0");
        gatewayA.publishWith().topic(plant + "/meta").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("{\"name\":\"Mapped plant\",\"lat\":48.14,\"lon\":11.58}".getBytes(StandardCharsets.UTF_8))
                .send();
        final HttpApi operator = new HttpApi(serve.httpPort(), TestAccess.ACME_OPERATOR);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(plantNames(operator))
                .contains("Mapped plant"));

        gatewayA.publishWith().topic(plant + "/meta").qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(plantNames(operator))
                .doesNotContain("Mapped plant"));
    }

    @Test
    void aGatewaysHealthReportedToItsIngestNodeShowsOnTheServingNode() throws Exception {
        final String clientId = TestAccess.ACME_GATEWAY + "-a";
        final String report = "{\"state\":\"degraded\",\"sources\":[{\"name\":\"bms\",\"state\":\"degraded\","
                + "\"detail\":\"1 of 2 requests failing\",\"problems\":[{\"request\":\"unit 1 holding 1+16\","
                + "\"error\":\"Illegal Data Address (exception 2)\",\"failures\":2,\"missing\":16,"
                + "\"series\":[\"racks/r1/cells/1/voltage\"]}]}]}";
        final HttpApi operator = new HttpApi(serve.httpPort(), TestAccess.ACME_OPERATOR);

        gatewayA.publishWith().topic(TopicBuilder.tenant("acme").child("plants", "pa").gatewayHealth(clientId))
                .qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(report.getBytes(StandardCharsets.UTF_8)).send();

        final JsonNode health = await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (final JsonNode gateway : operator.getJson("/api/v1/gateways").path("gateways")) {
                if (gateway.path("gateway").asText().equals(clientId)) {
                    return gateway.path("health");
                }
            }
            return HttpApi.JSON.missingNode();
        }, h -> !h.isMissingNode());
        assertThat(health.path("state").asText()).isEqualTo("degraded");
        assertThat(health.path("sources").path(0).path("problems").path(0).path("missing").asInt()).isEqualTo(16);
    }

    private static String plantNames(final HttpApi api) throws Exception {
        return api.getJson("/api/v1/plants?path=tenants/acme").path("plants").findValuesAsText("name").toString();
    }

    /** Samples of {@code series} in the serving node's DuckDB, summed over one bucket spanning the last hour. */
    static long storedCount(final HttpApi api, final String series) throws Exception {
        final JsonNode points = api.getJson("/api/v1/history?series=" + URLEncoder.encode(series,
                StandardCharsets.UTF_8) + "&points=1&from=" + (System.currentTimeMillis() - 3_600_000)
                + "&to=" + (System.currentTimeMillis() + 60_000)).path("series").path(0).path("points");
        long count = 0;
        for (final JsonNode point : points) {
            count += point.path("count").asLong();
        }
        return count;
    }

    private static Map<String, Double> values(final JsonNode frame) {
        final Map<String, Double> out = new HashMap<>();
        for (final Iterator<JsonNode> it = frame.path("samples").elements(); it.hasNext(); ) {
            final JsonNode sample = it.next();
            out.put(sample.path("series").asText(), sample.path("value").asDouble());
        }
        return out;
    }
}
