package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Sparkplug B edge node made of Eclipse Tahu's own encoder and a real MQTT client, publishing as an acme gateway
 * into the group conf/mapping.rules gives acme: its birth defines names and aliases, data by alias lands in the
 * tree, a sequence gap makes the broker ask for a rebirth (the node receives the NCMD), its death sets it offline,
 * published or left as its will.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkplugIT {

    private static final String GROUP = TestMapping.ACME_GROUP;
    private static final String NODE_TREE = "tenants/acme/groups/" + GROUP + "/nodes/edge-1";
    private static final String DEVICE_TREE = NODE_TREE + "/devices/pack-1";
    private static final String NCMD = "spBv1.0/" + GROUP + "/NCMD/edge-1";

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static HttpApi admin;
    static Mqtt5BlockingClient edge;
    static Mqtt5BlockingClient.Mqtt5Publishes commands;
    static long seq;

    @BeforeAll
    static void start() throws Exception {
        TestMapping.write(dir.resolve("conf"));
        server = TestServers.start(dir);
        admin = new HttpApi(server.httpPort());
        edge = Gateways.connect("gw-acme-1-edge", server.mqttPort(), TestAccess.ACME_GATEWAY);
        commands = edge.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
        edge.subscribeWith().topicFilter(NCMD).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterAll
    static void stop() {
        commands.close();
        edge.disconnect();
        server.close();
    }

    @Test
    @Order(1)
    void theBirthCertificateNamesTheMetricsAndSetsTheNodeOnline() throws Exception {
        publish("NBIRTH", null, birth(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> admin.latest(NODE_TREE + "/Battery.Voltage") != null);
        assertThat(admin.latest(NODE_TREE + "/Battery.Voltage")).isEqualTo(48.2);
        assertThat(admin.latest(NODE_TREE + "/Battery.Temperature")).isEqualTo(25.5);
        assertThat(admin.latest(NODE_TREE + "/Running")).isEqualTo(1.0);
        assertThat(admin.treePaths()).noneMatch(p -> p.contains("Rebirth") || p.contains("bdSeq"));
        final JsonNode node = state("acme-plant:edge-1");
        assertThat(node.path("state").asText()).isEqualTo("online");
        assertThat(node.path("cause").asText()).isEqualTo("birth");
        assertThat(node.path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    @Order(2)
    void dataByAliasLandsUnderTheNamesOfTheBirth() throws Exception {
        publish("NDATA", null, payload(byAlias(1, MetricDataType.Double, 48.9), byAlias(2, MetricDataType.Float, 26.0f)));
        publish("DBIRTH", "pack-1", payload(named("Cell/1/Voltage", 10, MetricDataType.Double, 3.70)));
        publish("DDATA", "pack-1", payload(byAlias(10, MetricDataType.Double, 3.71)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(admin.latest(NODE_TREE + "/Battery.Voltage")).isEqualTo(48.9);
            assertThat(admin.latest(DEVICE_TREE + "/Cell.1.Voltage")).isEqualTo(3.71);
        });
        assertThat(admin.latest(NODE_TREE + "/Battery.Temperature")).isEqualTo(26.0);
        assertThat(state("acme-plant:edge-1:pack-1").path("state").asText()).isEqualTo("online");
    }

    @Test
    @Order(3)
    void aSequenceGapIsAnsweredByARebirthRequestAndItsDataIsDropped() throws Exception {
        seq++; // the message with this seq is "lost"
        publish("NDATA", null, payload(byAlias(1, MetricDataType.Double, 99.9)));

        final Optional<Mqtt5Publish> command = commands.receive(10, TimeUnit.SECONDS);
        assertThat(command).as("NCMD from the broker").isPresent();
        assertThat(command.get().getTopic().toString()).isEqualTo(NCMD);
        final SparkplugBPayload request = new SparkplugBPayloadDecoder()
                .buildFromByteArray(command.get().getPayloadAsBytes(), null);
        assertThat(request.getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("Node Control/Rebirth");
            assertThat(m.getValue()).isEqualTo(true);
        });
        assertThat(admin.metric("cellwatch_sparkplug_sequence_gaps_total")).isEqualTo(1.0);
        assertThat(admin.latest(NODE_TREE + "/Battery.Voltage")).isEqualTo(48.9);

        // The node obeys: a new birth (same MQTT session, same bdSeq), then data in sequence again.
        publish("NBIRTH", null, birth(0));
        publish("NDATA", null, payload(byAlias(1, MetricDataType.Double, 50.0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Double.valueOf(50.0)
                .equals(admin.latest(NODE_TREE + "/Battery.Voltage")));
    }

    @Test
    @Order(4)
    void aDeathCertificateSetsTheNodeAndItsDevicesOffline() throws Exception {
        publish("DBIRTH", "pack-1", payload(named("Cell/1/Voltage", 10, MetricDataType.Double, 3.72)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "online".equals(
                state("acme-plant:edge-1:pack-1").path("state").asText()));

        // A death with another bdSeq is the will of an older session: it ends nothing.
        publish("NDEATH", null, death(7));
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.metric("cellwatch_sparkplug_stale_deaths_total") == 1.0);
        assertThat(state("acme-plant:edge-1").path("state").asText()).isEqualTo("online");

        publish("NDEATH", null, death(0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(state("acme-plant:edge-1").path("state").asText()).isEqualTo("offline");
            assertThat(state("acme-plant:edge-1").path("cause").asText()).isEqualTo("death");
            assertThat(state("acme-plant:edge-1:pack-1").path("state").asText()).isEqualTo("offline");
        });
        // Data after death comes from no born node: the broker asks for a birth instead of storing it.
        publish("NDATA", null, payload(byAlias(1, MetricDataType.Double, 11.1)));
        assertThat(commands.receive(10, TimeUnit.SECONDS)).get()
                .extracting(p -> p.getTopic().toString()).isEqualTo(NCMD);
        assertThat(admin.latest(NODE_TREE + "/Battery.Voltage")).isEqualTo(50.0);
    }

    @Test
    @Order(5)
    void aDeathCertificateLeftAsWillSetsTheNodeOfflineWhenItsConnectionEnds() throws Exception {
        final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
        final Mqtt5BlockingClient edge2 = MqttClient.builder().useMqttVersion5().identifier("gw-acme-1-edge-2")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.ACME_GATEWAY)
                .password(TestAccess.password(TestAccess.ACME_GATEWAY).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish().topic("spBv1.0/" + GROUP + "/NDEATH/edge-2").qos(MqttQos.AT_LEAST_ONCE)
                .payload(encoder.getBytes(death(3), false)).applyWillPublish()
                .buildBlocking();
        edge2.connect();
        final SparkplugBPayload birth = birth(3);
        birth.setSeq(0L);
        edge2.publishWith().topic("spBv1.0/" + GROUP + "/NBIRTH/edge-2").qos(MqttQos.AT_MOST_ONCE)
                .payload(encoder.getBytes(birth, false)).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> "online".equals(
                state("acme-plant:edge-2").path("state").asText()));

        // The broker sends the will; HiveMQ does not pass it through publish interceptors, cellwatch takes it anyway.
        edge2.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            final JsonNode node = state("acme-plant:edge-2");
            assertThat(node.path("state").asText()).isEqualTo("offline");
            assertThat(node.path("cause").asText()).isEqualTo("death");
        });
    }

    private static JsonNode state(final String gateway) throws Exception {
        for (final JsonNode status : admin.getJson("/api/v1/gateways").path("gateways")) {
            if (status.path("gateway").asText().equals(gateway)) {
                return status;
            }
        }
        return HttpApi.JSON.createObjectNode();
    }

    /** Publishes as the edge node: births restart the sequence at 0, deaths carry none. */
    private static void publish(final String type, final String device, final SparkplugBPayload payload)
            throws Exception {
        if (type.equals("NBIRTH")) {
            seq = 0;
        } else if (!type.equals("NDEATH")) {
            seq = (seq + 1) % 256;
        }
        if (!type.equals("NDEATH")) {
            payload.setSeq(seq);
        }
        final String topic = "spBv1.0/" + GROUP + "/" + type + "/edge-1" + (device == null ? "" : "/" + device);
        edge.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE)
                .payload(new SparkplugBPayloadEncoder().getBytes(payload, false)).send();
    }

    private static SparkplugBPayload birth(final long bdSeq) throws Exception {
        return payload(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, bdSeq).createMetric(),
                new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, false).createMetric(),
                named("Battery/Voltage", 1, MetricDataType.Double, 48.2),
                named("Battery/Temperature", 2, MetricDataType.Float, 25.5f),
                named("Running", 3, MetricDataType.Boolean, true));
    }

    private static SparkplugBPayload death(final long bdSeq) throws Exception {
        return payload(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, bdSeq).createMetric());
    }

    private static Metric named(final String name, final long alias, final MetricDataType type, final Object value)
            throws Exception {
        return new Metric.MetricBuilder(name, type, value).alias(alias).createMetric();
    }

    private static Metric byAlias(final long alias, final MetricDataType type, final Object value) throws Exception {
        return new Metric.MetricBuilder(alias, type, value).createMetric();
    }

    private static SparkplugBPayload payload(final Metric... metrics) {
        return new SparkplugBPayload(new Date(), new ArrayList<>(List.of(metrics)));
    }
}
