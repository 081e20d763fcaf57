package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.cellwatch.contract.TopicBuilder;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The attack suite: identities of tenant {@code nordvolt} (a gateway and an operator) try to read or write tenant
 * {@code acme} by MQTT, REST and WebSocket. Every attempt must be denied, and afterwards acme's data must be exactly
 * what acme's own gateway published, while acme's own subscriber saw nothing from nordvolt.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationIT implements HttpIsolationSuite {

    private static final String ACME_CELL = HttpIsolationChecks.ACME_CELL;
    private static final String ACME_VOLTAGE = HttpIsolationChecks.ACME_VOLTAGE;
    private static final String ACME_META = HttpIsolationChecks.ACME_META;
    private static final String ACME_GATEWAY_STATUS = TopicBuilder.gatewayStatus("acme", "gw-acme-1");
    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static Mqtt5BlockingClient acmeGateway;
    static Mqtt5AsyncClient acmeWatcher;
    static final BlockingQueue<Mqtt5Publish> acmeReceived = new LinkedBlockingQueue<>();
    static Map<String, Double> acmeBefore;
    static List<String> acmeTreeBefore;
    static HttpIsolationChecks http;

    @Override
    public HttpIsolationChecks http() {
        return http;
    }

    @BeforeAll
    static void startServerWithAcmeData() throws Exception {
        TestMapping.write(dir.resolve("conf"));
        // The synthetic probe every second: its internal tenant must stay out of everything below.
        server = new CellwatchServer(TestServers.withProbe(TestServers.config(dir), 1, 10));
        server.start();
        acmeGateway = Gateways.connect("gw-acme-1", server.mqttPort(), TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(acmeGateway, ACME_CELL, HttpIsolationChecks.ACME_SAMPLE)
                .isError()).isFalse();
        acmeGateway.publishWith().topic(ACME_META).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("{\"name\":\"acme p1\"}".getBytes(StandardCharsets.UTF_8)).send();
        acmeWatcher = MqttClient.builder().useMqttVersion5().identifier(TestAccess.ACME_OPERATOR + "-watcher")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.ACME_OPERATOR)
                .password(TestAccess.password(TestAccess.ACME_OPERATOR).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildAsync();
        acmeWatcher.connect().get(10, TimeUnit.SECONDS);
        acmeWatcher.subscribeWith().topicFilter("tenants/acme/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(acmeReceived::add).send().get(10, TimeUnit.SECONDS);
        // acme publishes through its own gateway, on this node, and the node shows it as soon as it is accepted.
        http = new HttpIsolationChecks(server.httpPort(), server.mqttPort(), dir.resolve("conf"),
                () -> assertThat(Gateways.publish(acmeGateway, ACME_CELL, HttpIsolationChecks.ACME_SAMPLE).isError())
                        .isFalse(), Duration.ofSeconds(10), ATTEMPTS);
        final HttpApi admin = new HttpApi(server.httpPort());
        // A loaded machine may take seconds to show the first sample.
        await().atMost(Duration.ofSeconds(15)).until(() -> admin.latest(ACME_VOLTAGE) != null);
        acmeBefore = http.acmeSamples();
        acmeTreeBefore = http.acmeTree();
        acmeReceived.clear();
    }

    @AfterAll
    static void stop() {
        acmeWatcher.disconnect();
        acmeGateway.disconnect();
        server.close();
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> nordvoltGatewayCannotPublishIntoAcme() {
        final List<String> topics = List.of(
                ACME_VOLTAGE,
                ACME_CELL,
                ACME_META,
                ACME_GATEWAY_STATUS,
                TopicBuilder.alert("acme", "warm~0123456789"),
                "tenants/acme/plants/p1/racks/r1/packs/k1/cells/99/voltage",
                "tenants//acme/plants/p1/voltage",
                "tenants/acme//plants/p1/voltage",
                "/tenants/acme/plants/p1/voltage",
                "tenants/ACME/plants/p1/voltage",
                "tenants/\u0430cme/plants/p1/voltage",
                "tenants/acme\u200b/plants/p1/voltage",
                "tenants/acme /plants/p1/voltage",
                "$SYS/broker/uptime");
        return topics.stream().map(topic -> DynamicTest.dynamicTest("publish to " + printable(topic), () -> {
            ATTEMPTS.incrementAndGet();
            try (Attacker gateway = Attacker.gateway()) {
                assertThat(Gateways.publish(gateway.blocking, topic, "6.66"))
                        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            }
        }));
    }

    @Test
    @Order(2)
    void nordvoltGatewayCannotPlantARetainedMessageInAcme() throws Exception {
        ATTEMPTS.incrementAndGet();
        try (Attacker gateway = Attacker.gateway()) {
            assertThatThrownBy(() -> gateway.blocking.publishWith().topic(ACME_META).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true).payload("{\"name\":\"owned\"}".getBytes(StandardCharsets.UTF_8)).send())
                    .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
        }
        try (Attacker operator = Attacker.operator()) {
            assertThat(suback(operator.client, "tenants/nordvolt/#")).containsOnly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        }
    }

    @Test
    @Order(3)
    void nordvoltGatewayCannotLeaveAWillInAcme() throws Exception {
        // The will is decided at CONNECT, by the same rule as a publish: the connection is refused.
        ATTEMPTS.incrementAndGet();
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(TestAccess.NORDVOLT_GATEWAY + "-evil-will")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.NORDVOLT_GATEWAY)
                .password(TestAccess.password(TestAccess.NORDVOLT_GATEWAY).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish().topic(ACME_VOLTAGE).payload("6.66".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish()
                .buildBlocking();
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused ->
                assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        assertThat(acmeReceived.poll(500, TimeUnit.MILLISECONDS)).as("acme saw the will").isNull();
    }

    @Test
    @Order(3)
    void aWillInsideTheOwnTenantIsAccepted() {
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(TestAccess.NORDVOLT_GATEWAY + "-good-will")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.NORDVOLT_GATEWAY)
                .password(TestAccess.password(TestAccess.NORDVOLT_GATEWAY).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish().topic("tenants/nordvolt/gateways/gw-nordvolt-1/lastwill")
                .payload("offline".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                .buildBlocking();

        client.connect();

        assertThat(client.getState().isConnected()).isTrue();
        client.disconnect();
    }

    @Test
    @Order(3)
    void aWillCannotFakeTheBrokersGatewayStatusEvenInTheOwnTenant() {
        ATTEMPTS.incrementAndGet();
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(TestAccess.NORDVOLT_GATEWAY + "-fake-status-will")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.NORDVOLT_GATEWAY)
                .password(TestAccess.password(TestAccess.NORDVOLT_GATEWAY).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish().topic("tenants/nordvolt/gateways/gw-nordvolt-1/status")
                .payload("{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                .buildBlocking();

        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e ->
                assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @TestFactory
    @Order(4)
    Stream<DynamicTest> nordvoltOperatorCannotSubscribeToAcme() {
        final List<String> filters = List.of(
                "#",
                "+/#",
                "+",
                "tenants/#",
                "tenants/+/#",
                "tenants/+/plants/p1/#",
                "+/acme/#",
                "tenants/acme/#",
                "tenants/acme/+/+/+/+/+/+/+/+/voltage",
                ACME_VOLTAGE,
                ACME_META,
                ACME_GATEWAY_STATUS,
                "tenants/acme/gateways/+/status",
                "tenants/+/gateways/#",
                "tenants/ACME/#",
                "tenants//acme/#",
                "$share/g/tenants/acme/#",
                "$share/g/#",
                "$share/g/tenants/+/#",
                "$share//tenants/acme/#",
                "$SYS/#");
        return filters.stream().map(filter -> DynamicTest.dynamicTest("subscribe to " + filter, () -> {
            ATTEMPTS.incrementAndGet();
            try (Attacker operator = Attacker.operator()) {
                final List<Mqtt5SubAckReasonCode> codes = suback(operator.client, filter);
                assertThat(codes).allSatisfy(code -> assertThat(code.isError()).as(code.toString()).isTrue());
                assertThat(operator.received.poll(200, TimeUnit.MILLISECONDS)).as("message via " + filter).isNull();
            }
        }));
    }

    @Test
    @Order(5)
    void nordvoltOperatorsOwnSubscriptionGetsNothingOfAcme() throws Exception {
        ATTEMPTS.incrementAndGet();
        try (Attacker operator = Attacker.operator()) {
            assertThat(suback(operator.client, "tenants/nordvolt/#")).containsOnly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            Gateways.publish(acmeGateway, ACME_CELL, HttpIsolationChecks.ACME_SAMPLE);
            assertThat(acmeReceived.poll(5, TimeUnit.SECONDS)).as("acme's own subscriber gets acme").isNotNull();
            assertThat(firstOutsideNordvolt(operator.received, 500)).isNull();
        }
    }

    @Test
    @Order(5)
    void oneSubscribeWithAnOwnAndAnAcmeFilterGrantsOnlyTheOwn() throws Exception {
        ATTEMPTS.incrementAndGet();
        try (Attacker operator = Attacker.operator(); Attacker gateway = Attacker.gateway()) {
            // The client fails the whole SUBACK if any entry is an error; the granted entry still stands.
            assertThatThrownBy(() -> operator.blocking.subscribeWith()
                    .addSubscription().topicFilter("tenants/nordvolt/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("tenants/acme/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send()).isInstanceOfSatisfying(Mqtt5SubAckException.class, partly ->
                    assertThat(partly.getMqttMessage().getReasonCodes()).containsExactly(
                            Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.NOT_AUTHORIZED));

            Gateways.publish(acmeGateway, ACME_CELL, HttpIsolationChecks.ACME_SAMPLE);
            assertThat(Gateways.publish(gateway.blocking, "tenants/nordvolt/plants/n1/racks/r1/packs/k1/cells/1",
                    "{\"voltage\":3.5}")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

            final Mqtt5Publish first = operator.received.poll(5, TimeUnit.SECONDS);
            assertThat(first).as("the granted filter delivers").isNotNull();
            assertThat(first.getTopic().toString()).startsWith("tenants/nordvolt/");
            assertThat(firstOutsideNordvolt(operator.received, 500)).as("nothing of acme").isNull();
        }
    }

    @Test
    @Order(5)
    void mqtt3OperatorGetsAFailureForAcmeAndNothingOfIt() throws Exception {
        ATTEMPTS.incrementAndGet();
        final Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(TestAccess.NORDVOLT_OPERATOR + "-mqtt3")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.NORDVOLT_OPERATOR)
                .password(TestAccess.password(TestAccess.NORDVOLT_OPERATOR).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        client.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThatThrownBy(() -> client.subscribeWith().topicFilter("tenants/acme/#").qos(MqttQos.AT_LEAST_ONCE)
                    .send()).isInstanceOfSatisfying(Mqtt3SubAckException.class, refused ->
                    assertThat(refused.getMqttMessage().getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.FAILURE));

            Gateways.publish(acmeGateway, ACME_CELL, HttpIsolationChecks.ACME_SAMPLE);
            assertThat(acmeReceived.poll(5, TimeUnit.SECONDS)).as("acme's own subscriber gets acme").isNotNull();
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            client.disconnect();
        }
    }

    @TestFactory
    @Order(12)
    Stream<DynamicTest> nobodyElseTakesOverResumesOrKicksAnAcmeSession() throws Exception {
        final Mqtt5BlockingClient offline = MqttClient.builder().useMqttVersion5().identifier(TestAccess.ACME_OPERATOR + "-offline-dash")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.ACME_OPERATOR)
                .password(TestAccess.password(TestAccess.ACME_OPERATOR).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        offline.connectWith().sessionExpiryInterval(3600).send();
        offline.subscribeWith().topicFilter("tenants/acme/#").qos(MqttQos.AT_LEAST_ONCE).send();
        offline.disconnect();
        Gateways.publish(acmeGateway, ACME_CELL, HttpIsolationChecks.ACME_SAMPLE);
        final Map<String, List<String>> intruders = Map.of(
                "gw-acme-1", List.of(TestAccess.NORDVOLT_GATEWAY, TestAccess.NORDVOLT_OPERATOR, TestAccess.ADMIN,
                        TestAccess.ACME_OPERATOR),
                TestAccess.ACME_OPERATOR + "-watcher", List.of(TestAccess.NORDVOLT_GATEWAY, TestAccess.NORDVOLT_OPERATOR, TestAccess.ADMIN,
                        TestAccess.ACME_GATEWAY),
                TestAccess.ACME_OPERATOR + "-offline-dash", List.of(TestAccess.NORDVOLT_GATEWAY, TestAccess.NORDVOLT_OPERATOR,
                        TestAccess.ADMIN, TestAccess.ACME_GATEWAY));
        return intruders.entrySet().stream().flatMap(victim -> victim.getValue().stream().map(intruder ->
                DynamicTest.dynamicTest(intruder + " connects as '" + victim.getKey() + "'", () -> {
                    ATTEMPTS.incrementAndGet();
                    final Mqtt5BlockingClient attempt = MqttClient.builder().useMqttVersion5()
                            .identifier(victim.getKey()).serverHost("127.0.0.1").serverPort(server.mqttPort())
                            .simpleAuth().username(intruder)
                            .password(TestAccess.password(intruder).getBytes(StandardCharsets.UTF_8))
                            .applySimpleAuth().buildBlocking();
                    try (Mqtt5BlockingClient.Mqtt5Publishes received = attempt.publishes(MqttGlobalPublishFilter.ALL)) {
                        assertThatThrownBy(() -> attempt.connectWith().cleanStart(false).sessionExpiryInterval(3600)
                                .send()).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                                    assertThat(e.getMqttMessage().getReasonCode())
                                            .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
                                    assertThat(e.getMqttMessage().isSessionPresent()).isFalse();
                                });
                        assertThat(received.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
                    }
                    assertThat(acmeGateway.getState().isConnected()).isTrue();
                    assertThat(acmeWatcher.getState().isConnected()).isTrue();
                })));
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
        // The operator's MQTT connection is there before the alert is raised: whatever leaked would be queued.
        try (Attacker operator = Attacker.operator()) {
            http.nordvoltOperatorSeesAcknowledgesAndReceivesNoneOfAcmesAlerts();
            assertThat(suback(operator.client, "tenants/acme/alerts/#"))
                    .doesNotContain(Mqtt5SubAckReasonCode.GRANTED_QOS_0, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                            Mqtt5SubAckReasonCode.GRANTED_QOS_2);
            assertThat(firstOutsideNordvolt(operator.received, 200)).isNull();
        }
    }

    @TestFactory
    @Order(18)
    Stream<DynamicTest> nordvoltGatewayCannotPublishIntoAcmeThroughAMapping() {
        // The ACL file lets nordvolt write factory/machine/#: the mapping into acme is what refuses it, before the
        // payload is read (the topic is acme's: ForeignTopicIsolationIT).
        final Map<String, Mqtt5PubAckReasonCode> attempts = Map.of(
                "{\"machine_id\":\"cnc\",\"temperature\":6.66}", Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                "{\"temperature\":6.66}", Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                "{\"machine_id\":\"../../nordvolt\",\"temperature\":6.66}", Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        return attempts.entrySet().stream().map(attempt -> DynamicTest.dynamicTest(
                "mapped publish " + attempt.getKey(), () -> {
                    ATTEMPTS.incrementAndGet();
                    try (Attacker gateway = Attacker.gateway()) {
                        assertThat(Gateways.publish(gateway.blocking, "factory/machine/evil/telemetry",
                                attempt.getKey())).isEqualTo(attempt.getValue());
                    }
                }));
    }

    @TestFactory
    @Order(19)
    Stream<DynamicTest> nordvoltGatewayCannotWriteAcmesSparkplugGroup() {
        // The ACL file lets nordvolt write spBv1.0/#: the group's mapping to acme is what refuses it.
        return Stream.of("NBIRTH/evil", "NDATA/evil", "DBIRTH/evil/pack-1", "DDATA/evil/pack-1", "NDEATH/evil")
                .map(tail -> DynamicTest.dynamicTest("publish to spBv1.0/" + TestMapping.ACME_GROUP + "/" + tail, () -> {
                    ATTEMPTS.incrementAndGet();
                    try (Attacker gateway = Attacker.gateway()) {
                        assertThat(Gateways.publish(gateway.blocking, "spBv1.0/" + TestMapping.ACME_GROUP + "/" + tail,
                                "6.66")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
                    }
                }));
    }

    @Test
    @Order(19)
    void nordvoltCannotReadAcmesSparkplugGroup() throws Exception {
        ATTEMPTS.incrementAndGet();
        try (Attacker gateway = Attacker.gateway()) {
            assertThat(suback(gateway.client, "spBv1.0/" + TestMapping.ACME_GROUP + "/#"))
                    .containsOnly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    @Order(20)
    void nobodyNotEvenTheGlobalAdminSubscribesToWritesToOrPosesAsTheProbeOverMqtt() throws Exception {
        final Mqtt5BlockingClient admin = Gateways.connect("admin-sees-all", server.mqttPort(), TestAccess.ADMIN);
        final BlockingQueue<Mqtt5Publish> adminReceived = new LinkedBlockingQueue<>();
        admin.toAsync().publishes(MqttGlobalPublishFilter.ALL, adminReceived::add);
        try (Attacker operator = Attacker.operator()) {
            assertThat(suback(admin.toAsync(), "#")).containsOnly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            for (final String filter : List.of("tenants/~cellwatch/#", TopicBuilder.probe(),
                    "$share/g/tenants/~cellwatch/#")) {
                ATTEMPTS.addAndGet(2);
                assertThat(suback(admin.toAsync(), filter)).as(filter)
                        .containsOnly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
                assertThat(suback(operator.client, filter)).as(filter)
                        .containsOnly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            }
            ATTEMPTS.incrementAndGet();
            assertThat(Gateways.publish(admin, TopicBuilder.probe(), "{\"v\":1,\"seq\":99999999999999}"))
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            http.awaitProbes(2);
            for (Mqtt5Publish received; (received = adminReceived.poll()) != null; ) {
                assertThat(received.getTopic().toString()).doesNotStartWith("tenants/~cellwatch");
            }
        } finally {
            admin.disconnect();
        }
        // Nobody takes over the probe's session or logs in as the probe, not even the admin.
        for (final String[] attempt : new String[][]{{TestAccess.ADMIN, "cellwatch:probe",
                TestAccess.password(TestAccess.ADMIN)}, {"cellwatch:probe", "cellwatch:probe", "guess"},
                {"cellwatch:probe", "other-id", "guess"}}) {
            ATTEMPTS.incrementAndGet();
            final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(attempt[1])
                    .serverHost("127.0.0.1").serverPort(server.mqttPort())
                    .simpleAuth().username(attempt[0]).password(attempt[2].getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildBlocking();
            assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e ->
                    assertThat(e.getMqttMessage().getReasonCode()).isIn(
                            Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                            Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        }
        // ... and the probe still goes through.
        http.awaitProbes(1);
    }

    @Test
    @Order(100)
    void acmesDataIsUnchangedAfterEveryAttempt() throws Exception {
        assertThat(http.acmeSamples()).isEqualTo(acmeBefore);
        assertThat(http.acmeTree()).isEqualTo(acmeTreeBefore);
        for (Mqtt5Publish received; (received = acmeReceived.poll()) != null; ) {
            assertThat(new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8)).doesNotContain("6.66");
        }
        assertThat(new HttpApi(server.httpPort()).metric("cellwatch_mqtt_acl_denied_total{action=\"publish\"}")).isPositive();
        assertThat(ATTEMPTS.get()).as("attempts made").isGreaterThanOrEqualTo(30);
    }

    private static List<Mqtt5SubAckReasonCode> suback(final Mqtt5AsyncClient client, final String filter)
            throws Exception {
        try {
            final Mqtt5SubAck ack = client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                    .send().get(10, TimeUnit.SECONDS);
            return ack.getReasonCodes();
        } catch (final java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Mqtt5SubAckException refused) {
                return refused.getMqttMessage().getReasonCodes();
            }
            if (e.getCause() instanceof IllegalArgumentException) {
                // The client itself refuses a malformed filter: denied before it reaches the broker.
                return List.of(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID);
            }
            throw e;
        } catch (final IllegalArgumentException malformed) {
            return List.of(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID);
        }
    }

    private static String printable(final String topic) {
        final StringBuilder out = new StringBuilder();
        topic.codePoints().forEach(c -> out.append(c < 128 && c >= 32 ? Character.toString(c)
                : String.format("\\u%04x", c)));
        return out.toString();
    }

    /** A nordvolt identity on its own MQTT 5 connection, collecting whatever it receives. */
    /**
     * The first message within {@code millis} that is not nordvolt's own, or null. Nordvolt's own gateway states
     * (its attackers connecting) legitimately reach its subscriptions.
     */
    private static Mqtt5Publish firstOutsideNordvolt(final BlockingQueue<Mqtt5Publish> received, final long millis)
            throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            final Mqtt5Publish message = received.poll(left, TimeUnit.MILLISECONDS);
            if (message == null) {
                return null;
            }
            if (!message.getTopic().toString().startsWith("tenants/nordvolt/")) {
                return message;
            }
        }
        return null;
    }

    private static final class Attacker implements AutoCloseable {

        private static final AtomicInteger IDS = new AtomicInteger();

        final Mqtt5AsyncClient client;
        final Mqtt5BlockingClient blocking;
        final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();

        private Attacker(final String user) {
            blocking = Gateways.connect(user + "-attacker-" + IDS.incrementAndGet(), server.mqttPort(), user);
            client = blocking.toAsync();
            client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, received::add);
        }

        static Attacker gateway() {
            return new Attacker(TestAccess.NORDVOLT_GATEWAY);
        }

        static Attacker operator() {
            return new Attacker(TestAccess.NORDVOLT_OPERATOR);
        }

        @Override
        public void close() {
            if (client.getState().isConnected()) {
                blocking.disconnect();
            }
        }
    }
}
