package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 22, items 1–5: foreign topics (outside {@code tenants/}) that conf/mapping.rules or a Sparkplug B group give
 * to acme belong to acme, whatever nordvolt's {@code foreign} grants say. Nordvolt (granted {@code foreign write
 * factory/machine/#} and {@code spBv1.0/#}, its operator also {@code foreign read} on both) tries wills, retained
 * clears, forged deaths, commands and subscriptions through the real broker with real MQTT 5 and 3.1.1 clients;
 * acme's own gateway does the same things in its own mapped topics and group, and succeeds.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForeignTopicIsolationIT {

    private static final String CNC = "factory/machine/cnc/telemetry";
    private static final String ACME_VALUE = "{\"machine_id\":\"cnc\",\"temperature\":21.5}";
    private static final String EVIL_VALUE = "{\"machine_id\":\"cnc\",\"temperature\":6.66}";
    private static final String GROUP = "spBv1.0/" + TestMapping.ACME_GROUP;
    private static final byte[] EVIL = "6.66".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger IDS = new AtomicInteger();

    /** The test ACL plus foreign read grants: both operators may read the machines, nordvolt's also all of Sparkplug. */
    private static final String ACL = TestAccess.ACL + """

            user acme-operator
            foreign read factory/machine/#

            user nordvolt-operator
            foreign read factory/machine/#
            foreign read spBv1.0/#
            """;

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static Mqtt5BlockingClient acmeGateway;
    static Mqtt5BlockingClient acmeOperator;
    static Mqtt5BlockingClient acmeEdge;
    static final BlockingQueue<Mqtt5Publish> acmeMachines = new LinkedBlockingQueue<>();
    static final BlockingQueue<Mqtt5Publish> acmeSparkplug = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startWithAcmesRetainedMachineValue() throws Exception {
        TestMapping.write(dir.resolve("conf"));
        final ServerConfig config = TestServers.config(dir);
        Files.writeString(dir.resolve("conf").resolve("acl"), ACL, StandardCharsets.UTF_8);
        server = new CellwatchServer(config);
        server.start();
        acmeOperator = Gateways.connect(TestAccess.ACME_OPERATOR + "-watch", server.mqttPort(),
                TestAccess.ACME_OPERATOR);
        acmeOperator.toAsync().publishes(MqttGlobalPublishFilter.ALL, acmeMachines::add);
        acmeOperator.subscribeWith().topicFilter("factory/machine/#").qos(MqttQos.AT_LEAST_ONCE).send();
        acmeEdge = Gateways.connect(TestAccess.ACME_GATEWAY + "-edge", server.mqttPort(), TestAccess.ACME_GATEWAY);
        acmeEdge.toAsync().publishes(MqttGlobalPublishFilter.ALL, acmeSparkplug::add);
        acmeEdge.subscribeWith().topicFilter(GROUP + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        acmeGateway = Gateways.connect(TestAccess.ACME_GATEWAY + "-main", server.mqttPort(), TestAccess.ACME_GATEWAY);
        assertThat(publishRetained(acmeGateway, CNC, ACME_VALUE.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(acmeMachines.poll(10, TimeUnit.SECONDS)).as("acme's operator reads acme's mapped topic")
                .isNotNull();
        assertThat(retained(CNC)).contains(ACME_VALUE);
    }

    @AfterAll
    static void stop() {
        for (final Mqtt5BlockingClient client : new Mqtt5BlockingClient[] {acmeGateway, acmeOperator, acmeEdge}) {
            if (client != null && client.getState().isConnected()) {
                client.disconnect();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    // Item 1: a will is decided like a publish, the mapped tenant included.

    @Test
    @Order(1)
    void refusesRetainedWillOnTopicMappedIntoAnotherTenant() throws Exception {
        final int connack = RawMqtt5Connection.connectWithWillThenDrop(server.mqttPort(), nordvoltClient(),
                TestAccess.NORDVOLT_GATEWAY, CNC, EVIL_VALUE.getBytes(StandardCharsets.UTF_8), true);

        assertThat(connack).as("CONNACK not authorized").isEqualTo(0x87);
        assertRetainedStays(CNC, ACME_VALUE);
        assertNothingOfNordvolt(acmeMachines);
    }

    @Test
    @Order(2)
    void refusesWillOnTopicMappedIntoAnotherTenantOverMqtt311() {
        final Mqtt3BlockingClient client = mqtt3(TestAccess.NORDVOLT_GATEWAY).willPublish().topic(CNC)
                .qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(EVIL_VALUE.getBytes(StandardCharsets.UTF_8))
                .applyWillPublish().buildBlocking();

        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class, refused ->
                assertThat(refused.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    }

    @Test
    @Order(3)
    void ownTenantMayLeaveARetainedWillOnItsMappedTopic() throws Exception {
        final String lathe = "factory/machine/lathe/telemetry";
        final String value = "{\"machine_id\":\"lathe\",\"temperature\":23.5}";

        final int connack = RawMqtt5Connection.connectWithWillThenDrop(server.mqttPort(),
                TestAccess.ACME_GATEWAY + "-will", TestAccess.ACME_GATEWAY, lathe,
                value.getBytes(StandardCharsets.UTF_8), true);

        assertThat(connack).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> retained(lathe).filter(value::equals).isPresent());
    }

    @Test
    @Order(3)
    void ownTenantsMappedPublishIsStillCheckedByTheMapping() {
        // The owner passes the ownership check; the mapping still refuses an id that is no topic level.
        assertThat(Gateways.publish(acmeGateway, "factory/machine/evil/telemetry",
                "{\"machine_id\":\"../../nordvolt\",\"temperature\":6.66}"))
                .isEqualTo(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);
    }

    // Item 2: an empty retained publish is authorized like any other publish.

    @Test
    @Order(4)
    void refusesEmptyRetainedPublishToTopicMappedIntoAnotherTenant() throws Exception {
        final Mqtt5BlockingClient nordvolt = Gateways.connect(nordvoltClient(), server.mqttPort(),
                TestAccess.NORDVOLT_GATEWAY);
        try {
            assertThat(publishRetained(nordvolt, CNC, new byte[0])).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        } finally {
            nordvolt.disconnect();
        }
        assertRetainedStays(CNC, ACME_VALUE);
    }

    @Test
    @Order(5)
    void refusesEmptyRetainedPublishToAnotherTenantsMappedTopicOverMqtt311() throws Exception {
        publishOverMqtt311(TestAccess.NORDVOLT_GATEWAY, CNC, new byte[0], true);

        assertRetainedStays(CNC, ACME_VALUE);
    }

    @Test
    @Order(6)
    void ownTenantMayClearTheRetainedMessageOfItsMappedTopic() throws Exception {
        final String drill = "factory/machine/drill/telemetry";
        assertThat(publishRetained(acmeGateway, drill, "{\"machine_id\":\"drill\",\"temperature\":30.5}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        await().atMost(Duration.ofSeconds(10)).until(() -> retained(drill).isPresent());

        assertThat(publishRetained(acmeGateway, drill, new byte[0])).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

        await().atMost(Duration.ofSeconds(10)).until(() -> retained(drill).isEmpty());
    }

    // Item 3: a Sparkplug B death certificate of another tenant's edge node cannot be left as a will.

    @Test
    @Order(7)
    void refusesForgedSparkplugDeathWillOfAnotherTenantsEdgeNode() throws Exception {
        acmeSparkplug.clear();
        final int connack = RawMqtt5Connection.connectWithWillThenDrop(server.mqttPort(), nordvoltClient(),
                TestAccess.NORDVOLT_GATEWAY, GROUP + "/NDEATH/edge-1", EVIL, false);

        assertThat(connack).as("CONNACK not authorized").isEqualTo(0x87);
        assertNothingOfNordvolt(acmeSparkplug);
    }

    @Test
    @Order(8)
    void refusesForgedSparkplugDeathWillOverMqtt311() {
        final Mqtt3BlockingClient client = mqtt3(TestAccess.NORDVOLT_GATEWAY).willPublish()
                .topic(GROUP + "/NDEATH/edge-1").qos(MqttQos.AT_LEAST_ONCE).payload(EVIL).applyWillPublish()
                .buildBlocking();

        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class, refused ->
                assertThat(refused.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    }

    @Test
    @Order(9)
    void ownEdgeNodeMayLeaveItsDeathCertificateAsWill() throws Exception {
        acmeSparkplug.clear();
        final String death = GROUP + "/NDEATH/edge-7";

        final int connack = RawMqtt5Connection.connectWithWillThenDrop(server.mqttPort(),
                TestAccess.ACME_GATEWAY + "-edge-7", TestAccess.ACME_GATEWAY, death, new byte[] {8, 0}, false);

        assertThat(connack).isZero();
        final Mqtt5Publish delivered = acmeSparkplug.poll(10, TimeUnit.SECONDS);
        assertThat(delivered).isNotNull();
        assertThat(delivered.getTopic().toString()).isEqualTo(death);
    }

    // Item 4: nothing under another tenant's Sparkplug group, commands and unknown types included.

    @TestFactory
    @Order(10)
    Stream<DynamicTest> refusesPublishesIntoAnotherTenantsSparkplugGroup() {
        return Stream.of("NCMD/edge-1", "DCMD/edge-1/pack-1", "STATE", "STATE/host-1", "NFOO/edge-1",
                        "NDATA/edge-1/pack-1/deeper/still", "DDATA/edge-1")
                .map(tail -> DynamicTest.dynamicTest(GROUP + "/" + tail, () -> {
                    acmeSparkplug.clear();
                    final Mqtt5BlockingClient nordvolt = Gateways.connect(nordvoltClient(), server.mqttPort(),
                            TestAccess.NORDVOLT_GATEWAY);
                    try {
                        assertThat(Gateways.publish(nordvolt, GROUP + "/" + tail, EVIL))
                                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
                    } finally {
                        nordvolt.disconnect();
                    }
                    assertNothingOfNordvolt(acmeSparkplug);
                }));
    }

    @Test
    @Order(11)
    void refusesCommandsIntoAnotherTenantsSparkplugGroupOverMqtt311() throws Exception {
        acmeSparkplug.clear();
        publishOverMqtt311(TestAccess.NORDVOLT_GATEWAY, GROUP + "/NCMD/edge-1", EVIL, false);
        publishOverMqtt311(TestAccess.NORDVOLT_GATEWAY, GROUP + "/DCMD/edge-1/pack-1", EVIL, false);

        assertNothingOfNordvolt(acmeSparkplug);
    }

    @Test
    @Order(12)
    void ownGatewayMaySendCommandsIntoItsSparkplugGroup() throws Exception {
        acmeSparkplug.clear();
        for (final String topic : List.of(GROUP + "/NCMD/edge-1", GROUP + "/DCMD/edge-1/pack-1", GROUP + "/STATE")) {
            assertThat(Gateways.publish(acmeGateway, topic, "rebirth")).as(topic)
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            final Mqtt5Publish delivered = acmeSparkplug.poll(10, TimeUnit.SECONDS);
            assertThat(delivered).as(topic).isNotNull();
            assertThat(delivered.getTopic().toString()).isEqualTo(topic);
        }
    }

    // Item 5: no subscription that can reach a topic of another tenant, whatever the foreign read grants say.

    @TestFactory
    @Order(13)
    Stream<DynamicTest> refusesSubscriptionsThatReachAnotherTenantsForeignTopics() {
        return Stream.of("factory/machine/#", "factory/machine/+/telemetry", CNC, "factory/+/+/telemetry",
                        "spBv1.0/#", "spBv1.0/+/NDATA/#", GROUP + "/#", GROUP + "/NCMD/edge-1",
                        "$share/spies/factory/machine/#", "$share/spies/spBv1.0/#")
                .map(filter -> DynamicTest.dynamicTest(filter, () -> {
                    final Mqtt5BlockingClient operator = Gateways.connect(TestAccess.NORDVOLT_OPERATOR + "-"
                            + IDS.incrementAndGet(), server.mqttPort(), TestAccess.NORDVOLT_OPERATOR);
                    final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
                    operator.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
                    try {
                        assertThat(suback(operator, filter)).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
                        assertThat(Gateways.publish(acmeGateway, CNC, ACME_VALUE))
                                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
                        assertThat(Gateways.publish(acmeGateway, GROUP + "/NCMD/edge-1", "rebirth"))
                                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
                        assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("delivered to nordvolt").isNull();
                    } finally {
                        operator.disconnect();
                    }
                }));
    }

    @Test
    @Order(14)
    void refusesSubscriptionToAnotherTenantsMappedTopicsOverMqtt311() throws Exception {
        final Mqtt3BlockingClient operator = mqtt3(TestAccess.NORDVOLT_OPERATOR).buildBlocking();
        operator.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = operator.publishes(MqttGlobalPublishFilter.ALL)) {
            for (final String filter : List.of("factory/machine/#", "spBv1.0/#")) {
                assertThatThrownBy(() -> operator.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                        .send()).as(filter).isInstanceOfSatisfying(Mqtt3SubAckException.class, refused ->
                        assertThat(refused.getMqttMessage().getReturnCodes())
                                .containsExactly(Mqtt3SubAckReturnCode.FAILURE));
            }
            Gateways.publish(acmeGateway, CNC, ACME_VALUE);
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            operator.disconnect();
        }
    }

    @Test
    @Order(15)
    void foreignReadGrantsStillReachTopicsNoOtherTenantOwns() throws Exception {
        final Mqtt5BlockingClient operator = Gateways.connect(TestAccess.NORDVOLT_OPERATOR + "-own",
                server.mqttPort(), TestAccess.NORDVOLT_OPERATOR);
        try {
            assertThat(suback(operator, "factory/machine/+/status")).containsExactly(
                    Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(suback(operator, "spBv1.0/nordvolt-plant/#")).containsExactly(
                    Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        } finally {
            operator.disconnect();
        }
    }

    @Test
    @Order(16)
    void globalAdminStillSubscribesToEveryForeignTopic() throws Exception {
        final Mqtt5BlockingClient admin = Gateways.connect(TestAccess.ADMIN + "-all", server.mqttPort());
        try {
            assertThat(suback(admin, "spBv1.0/#")).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(suback(admin, "factory/#")).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        } finally {
            admin.disconnect();
        }
    }

    @Test
    @Order(17)
    void aGroupMappedByAReloadBelongsToItsTenantFromTheNextPublish() throws Exception {
        final String command = "spBv1.0/late-plant/NCMD/edge-1";
        final Mqtt5BlockingClient nordvolt = Gateways.connect(nordvoltClient(), server.mqttPort(),
                TestAccess.NORDVOLT_GATEWAY);
        try {
            assertThat(Gateways.publish(nordvolt, command, EVIL).isError()).as("no rule yet").isFalse();

            Files.writeString(dir.resolve("conf").resolve("mapping.rules"), TestMapping.RULES + """

                    sparkplug late-plant
                        tenant acme
                    """, StandardCharsets.UTF_8);

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Gateways.publish(nordvolt, command, EVIL) == Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        } finally {
            nordvolt.disconnect();
        }
    }

    private static String nordvoltClient() {
        return TestAccess.NORDVOLT_GATEWAY + "-" + IDS.incrementAndGet();
    }

    private static com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder mqtt3(final String user) {
        return MqttClient.builder().useMqttVersion3().identifier(user + "-v3-" + IDS.incrementAndGet())
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
    }

    /**
     * Publishes at QoS 1 over MQTT 3.1.1, which has no way to say "not authorized" in a PUBACK: HiveMQ closes the
     * connection of a refused publish instead, so a closed connection is a possible (not a required) outcome here.
     */
    private static void publishOverMqtt311(final String user, final String topic, final byte[] payload,
                                           final boolean retain) {
        final Mqtt3BlockingClient client = mqtt3(user).buildBlocking();
        client.connect();
        try {
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
        } catch (final MqttSessionExpiredException | MqttClientStateException | ConnectionClosedException closed) {
            // Refused: the broker closed the connection.
        } finally {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }

    private static Mqtt5PubAckReasonCode publishRetained(final Mqtt5BlockingClient client, final String topic,
                                                         final byte[] payload) {
        try {
            final Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).payload(payload).send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (final Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    /** The retained message of {@code topic} as a fresh admin subscriber gets it. */
    private static Optional<String> retained(final String topic) throws Exception {
        final Mqtt5BlockingClient admin = Gateways.connect(TestAccess.ADMIN + "-retained-" + IDS.incrementAndGet(),
                server.mqttPort());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = admin.publishes(MqttGlobalPublishFilter.ALL)) {
            admin.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            return publishes.receive(1, TimeUnit.SECONDS).filter(Mqtt5Publish::isRetain)
                    .map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            admin.disconnect();
        }
    }

    /** The retained message stays acme's for two seconds (a will or a clear would have replaced it by then). */
    private static void assertRetainedStays(final String topic, final String value) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> retained(topic).filter(value::equals).isPresent());
    }

    /** Acme's subscriber got nothing nordvolt sent (its payloads hold 6.66) within a second. */
    private static void assertNothingOfNordvolt(final BlockingQueue<Mqtt5Publish> received)
            throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (long left = 1000; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            final Mqtt5Publish message = received.poll(left, TimeUnit.MILLISECONDS);
            if (message == null) {
                return;
            }
            assertThat(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)).as(message.getTopic()
                    .toString()).doesNotContain("6.66");
        }
    }

    private static List<Mqtt5SubAckReasonCode> suback(final Mqtt5BlockingClient client, final String filter) {
        try {
            return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes();
        } catch (final Mqtt5SubAckException refused) {
            return refused.getMqttMessage().getReasonCodes();
        }
    }
}
