package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Publishes through the real embedded broker and reads back over REST and the live WebSocket. */
@Timeout(60)
class LiveTelemetryIT {

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static HttpApi api;
    static Mqtt5BlockingClient gateway;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(dir);
        api = new HttpApi(server.httpPort());
        gateway = Gateways.connect("gw-live", server.config().mqttPort());
    }

    @AfterAll
    static void stopServer() {
        gateway.disconnect();
        server.close();
    }

    @Test
    void newMetricLeafAppearsInTreeAndSnapshot() throws Exception {
        final String series = "tenants/t1/plants/p9/racks/r1/packs/k1/cells/1/voltage";

        assertThat(Gateways.publish(gateway, series, "3.7")).isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);

        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(api.treePaths()).contains("tenants/t1", "tenants/t1/plants/p9",
                    "tenants/t1/plants/p9/racks/r1/packs/k1/cells/1");
            assertThat(api.latest(series)).isEqualTo(3.7);
        });
    }

    @Test
    void treeListsTheMetricsOfANode() throws Exception {
        Gateways.publish(gateway, "tenants/t2/plants/p1/racks/r1/packs/k1/cells/2",
                "{\"voltage\":3.61,\"temperature\":28.5,\"soc\":0.8}");

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            final JsonNode cell = api.getJson("/api/v1/tree?path=tenants/t2/plants/p1/racks/r1/packs/k1/cells/2");
            assertThat(cell.path("level").asText()).isEqualTo("cells");
            assertThat(cell.path("id").asText()).isEqualTo("2");
            assertThat(cell.path("metrics")).extracting(JsonNode::asText)
                    .containsExactly("soc", "temperature", "voltage");
        });
    }

    @Test
    void webSocketGetsSnapshotThenDeltasForNewCellsMetricsAndNodes() throws Exception {
        final String plant = "tenants/t3/plants/p1";
        Gateways.publish(gateway, plant + "/racks/r1/packs/k1/cells/1/voltage", "3.50");
        await().atMost(Duration.ofSeconds(2)).until(() -> api.latest(plant + "/racks/r1/packs/k1/cells/1/voltage") != null);

        try (LiveClient live = new LiveClient(server.httpPort())) {
            live.subscribe(plant);
            final JsonNode snapshot = live.next(5);
            assertThat(snapshot.path("type").asText()).isEqualTo("snapshot");
            assertThat(snapshot.path("path").asText()).isEqualTo(plant);
            assertThat(values(snapshot)).containsEntry(plant + "/racks/r1/packs/k1/cells/1/voltage", 3.50);

            Gateways.publish(gateway, plant + "/racks/r1/packs/k1/cells/2/voltage", "3.66");
            Gateways.publish(gateway, plant + "/racks/r1/packs/k1/cells/1/resistance", "{\"v\":0.0008,\"seq\":7}");
            Gateways.publish(gateway, plant + "/racks/r2/packs/k9/cells/16",
                    "{\"voltage\":3.71,\"temperature\":31.25,\"soc\":0.5,\"seq\":8}");

            final Map<String, Double> seen = new HashMap<>();
            while (seen.size() < 5) {
                final JsonNode frame = live.next(5);
                assertThat(frame.path("type").asText()).isEqualTo("delta");
                seen.putAll(values(frame));
            }
            assertThat(seen).containsOnly(
                    Map.entry(plant + "/racks/r1/packs/k1/cells/2/voltage", 3.66),
                    Map.entry(plant + "/racks/r1/packs/k1/cells/1/resistance", 0.0008),
                    Map.entry(plant + "/racks/r2/packs/k9/cells/16/voltage", 3.71),
                    Map.entry(plant + "/racks/r2/packs/k9/cells/16/temperature", 31.25),
                    Map.entry(plant + "/racks/r2/packs/k9/cells/16/soc", 0.5));
        }
        assertThat(api.latest(plant + "/racks/r2/packs/k9/cells/16/temperature")).isEqualTo(31.25);
    }

    @Test
    void webSocketDeltasCarryOnlyTheSubscribedSubtree() throws Exception {
        try (LiveClient live = new LiveClient(server.httpPort())) {
            live.subscribe("tenants/t4/plants/p1");
            assertThat(live.next(5).path("type").asText()).isEqualTo("snapshot");

            Gateways.publish(gateway, "tenants/t4/plants/p10/racks/r1/voltage", "1.0");
            Gateways.publish(gateway, "tenants/t4/plants/p1/racks/r1/voltage", "2.0");

            final JsonNode delta = live.next(5);
            assertThat(values(delta)).containsOnlyKeys("tenants/t4/plants/p1/racks/r1/voltage");
        }
    }

    @Test
    void burstOfUpdatesIsCoalescedIntoFewFramesEndingWithTheNewestValue() throws Exception {
        final String series = "tenants/t5/plants/p1/racks/r1/voltage";
        try (LiveClient live = new LiveClient(server.httpPort())) {
            live.subscribe("tenants/t5");
            live.next(5);
            final int updates = 300;
            for (int i = 1; i <= updates; i++) {
                Gateways.publish(gateway, series, Integer.toString(i));
            }
            final List<Double> delivered = new ArrayList<>();
            while (delivered.isEmpty() || delivered.get(delivered.size() - 1) < updates) {
                delivered.add(values(live.next(5)).get(series));
            }
            assertThat(delivered).hasSizeLessThan(updates).isSorted();
            assertThat(delivered.get(delivered.size() - 1)).isEqualTo((double) updates);
        }
    }

    @Test
    void restSnapshotAndWebSocketShareOneSampleShape() throws Exception {
        final String series = "tenants/t6/plants/p1/racks/r1/voltage";
        Gateways.publish(gateway, series, "{\"v\":3.3,\"seq\":5,\"ts\":\"2026-01-02T03:04:05Z\"}");
        await().atMost(Duration.ofSeconds(2)).until(() -> api.latest(series) != null);

        final JsonNode rest = api.snapshot("tenants/t6");
        try (LiveClient live = new LiveClient(server.httpPort())) {
            live.subscribe("tenants/t6");
            final ObjectNode ws = (ObjectNode) live.next(5);
            // The live snapshot adds each sample's alias, the name its deltas use.
            final ObjectNode sample = (ObjectNode) ws.path("samples").get(0);
            assertThat(fieldNames(sample)).containsExactly("series", "value", "ts", "seq", "n");
            sample.remove("n");
            assertThat(ws).isEqualTo(rest);
            assertThat(sample.path("ts").asLong()).isEqualTo(1767323045000L);
        }
    }

    @Test
    void deltaSamplesNameSeriesByTheAliasTheSnapshotOrTheirFirstDeltaGave() throws Exception {
        final String plant = "tenants/t12/plants/p1";
        // A gateway of its own: its seq must not run ahead of the shared gateway's in the other tests.
        final Mqtt5BlockingClient own = Gateways.connect("gw-wire", server.config().mqttPort());
        try (LiveClient live = new LiveClient(server.httpPort()).wire()) {
            Gateways.publish(own, plant + "/racks/r1/voltage", "{\"v\":3.25,\"seq\":9}");
            await().atMost(Duration.ofSeconds(2)).until(() -> api.latest(plant + "/racks/r1/voltage") != null);
            live.subscribe(plant);
            final JsonNode snapshot = live.next(5);
            final int known = snapshot.path("samples").get(0).path("n").asInt(-1);
            assertThat(known).as("the snapshot gives each sample's alias").isNotNegative();

            // Published while nobody watched, so never announced: its first delta may announce it, the same way.
            Gateways.publish(own, plant + "/racks/r1/voltage", "{\"v\":3.4,\"seq\":10}");
            final JsonNode first = live.next(5);
            if (first.has("series")) {
                assertThat(first.path("series").toString()).isEqualTo("{\"" + known + "\":\"racks/r1/voltage\"}");
            }
            Gateways.publish(own, plant + "/racks/r1/voltage", "{\"v\":3.5,\"seq\":11}");
            final JsonNode delta = live.next(5);
            assertThat(delta.path("path").asText()).isEqualTo(plant);
            assertThat(delta.has("series")).as("nothing new to announce").isFalse();
            final JsonNode sample = delta.path("samples").get(0);
            assertThat(sample).hasSize(4);
            assertThat(sample.get(0).asInt()).isEqualTo(known);
            assertThat(sample.get(1).asDouble()).isEqualTo(3.5);
            assertThat(delta.path("t").asLong() + sample.get(2).asLong()).as("ts, as the frame's t plus dt")
                    .isEqualTo(api.snapshot(plant).path("samples").get(0).path("ts").asLong());
            assertThat(sample.get(3).asLong()).isEqualTo(11);

            Gateways.publish(own, plant + "/racks/r2/voltage", "{\"v\":3.75,\"seq\":12}");
            final JsonNode announcing = live.next(5);
            final int fresh = announcing.path("samples").get(0).get(0).asInt();
            assertThat(fresh).isNotEqualTo(known);
            assertThat(announcing.path("series").toString())
                    .isEqualTo("{\"" + fresh + "\":\"racks/r2/voltage\"}");
        } finally {
            own.disconnect();
        }
    }

    @Test
    void aTenantMembersDeltasNameItsOwnTenantsSeriesWhenItAsksForEverything() throws Exception {
        final String series = "tenants/acme/plants/p9/racks/r1/soc";
        try (LiveClient live = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR).wire()) {
            live.subscribe("");
            assertThat(live.next(5).path("type").asText()).isEqualTo("snapshot");

            Gateways.publish(gateway, series, "{\"v\":81}");
            final JsonNode delta = live.next(5);

            assertThat(delta.path("path").asText()).isEqualTo("tenants/acme");
            final String alias = delta.path("samples").get(0).get(0).asText();
            assertThat(delta.path("series").path(alias).asText()).isEqualTo("plants/p9/racks/r1/soc");
        }
    }

    @Test
    void aDeltaAboveTheTenantsNamesSeriesByKey() throws Exception {
        final String series = "tenants/t13/plants/p1/soc";
        try (LiveClient live = new LiveClient(server.httpPort()).wire()) {
            live.subscribe("tenants");
            assertThat(live.next(5).path("type").asText()).isEqualTo("snapshot");

            Gateways.publish(gateway, series, "{\"v\":64}");
            JsonNode delta = live.next(5);
            while (!delta.path("samples").toString().contains("t13")) {
                delta = live.next(5);
            }

            assertThat(delta.path("path").asText()).isEqualTo("tenants");
            assertThat(delta.has("series")).isFalse();
            assertThat(delta.path("samples").get(0).get(0).asText()).isEqualTo("t13/plants/p1/soc");
        }
    }

    @Test
    void malformedSubscriptionGetsAnErrorFrameAndTheSocketStaysUsable() throws Exception {
        try (LiveClient live = new LiveClient(server.httpPort())) {
            live.subscribe("tenants//x");
            final JsonNode error = live.next(5);
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).contains("empty");

            live.subscribe("tenants/t7");
            assertThat(live.next(5).path("type").asText()).isEqualTo("snapshot");
        }
    }

    @Test
    void restAnswersBadPathWith400AndUnknownNodeWith404() throws Exception {
        assertThat(api.get("/api/v1/snapshot?path=plants/p1").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/tree?path=tenants/nobody-here").statusCode()).isEqualTo(404);
        assertThat(api.getJson("/api/v1/tree?path=tenants/nobody-here").path("error").asText())
                .contains("tenants/nobody-here");
    }

    private static Map<String, Double> values(final JsonNode frame) {
        final Map<String, Double> values = new HashMap<>();
        for (final JsonNode sample : frame.path("samples")) {
            values.put(sample.path("series").asText(), sample.path("value").asDouble());
        }
        return values;
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
