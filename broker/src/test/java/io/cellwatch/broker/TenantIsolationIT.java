package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
class TenantIsolationIT {

    private static final String ACME_CELL = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1";
    private static final String ACME_VOLTAGE = ACME_CELL + "/voltage";
    private static final String ACME_META = "tenants/acme/plants/p1/meta";
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

    @BeforeAll
    static void startServerWithAcmeData() throws Exception {
        TestMapping.write(dir.resolve("conf"));
        // The synthetic probe every second: its internal tenant must stay out of everything below.
        server = new CellwatchServer(TestServers.withProbe(TestServers.config(dir), 1, 10));
        server.start();
        acmeGateway = Gateways.connect("gw-acme-1", server.mqttPort(), TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}")
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
        final HttpApi admin = new HttpApi(server.httpPort());
        // A loaded machine may take seconds to show the first sample.
        await().atMost(Duration.ofSeconds(15)).until(() -> admin.latest(ACME_VOLTAGE) != null);
        acmeBefore = acmeSamples(admin);
        acmeTreeBefore = acmeTree(admin);
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
            Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
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

            Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
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

            Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
            assertThat(acmeReceived.poll(5, TimeUnit.SECONDS)).as("acme's own subscriber gets acme").isNotNull();
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            client.disconnect();
        }
    }

    @TestFactory
    @Order(6)
    Stream<DynamicTest> nordvoltOperatorCannotReadAcmeOverRest() {
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
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
                Map.entry("/api/v1/plants?path=tenants/acme/plants/p1", 403)));
        return forbidden.entrySet().stream().map(e -> DynamicTest.dynamicTest("GET " + e.getKey(), () -> {
            ATTEMPTS.incrementAndGet();
            final HttpResponse<String> response = nordvolt.get(e.getKey());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(e.getValue());
            // The error may echo the caller's own request, never acme's data.
            assertThat(HttpApi.JSON.readTree(response.body()).path("type").asText()).isEqualTo("error");
            assertThat(response.body()).doesNotContain("3.7").doesNotContain("samples").doesNotContain("children");
        }));
    }

    @TestFactory
    @Order(7)
    Stream<DynamicTest> nordvoltOperatorsWideQueriesLeaveAcmeOut() {
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        return Stream.of("/api/v1/tree", "/api/v1/tree?path=tenants", "/api/v1/snapshot",
                "/api/v1/snapshot?path=tenants", "/api/v1/me", "/api/v1/plants", "/api/v1/plants?path=tenants").map(path -> DynamicTest.dynamicTest("GET " + path, () -> {
            ATTEMPTS.incrementAndGet();
            final HttpResponse<String> response = nordvolt.get(path);
            // "tenants" alone is no node of the tree (levels come in pairs): 404 there, like for everyone.
            assertThat(response.statusCode()).isIn(200, 404);
            assertThat(response.body()).doesNotContain("acme");
        }));
    }

    @TestFactory
    @Order(8)
    Stream<DynamicTest> identitiesWithoutADashboardLoginGetNothing() {
        return Stream.of(
                new HttpApi(server.httpPort(), TestAccess.NORDVOLT_GATEWAY),
                new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR, "wrong password"),
                new HttpApi(server.httpPort(), "nobody", "nothing")).map(api -> DynamicTest.dynamicTest(
                "unauthorized caller", () -> {
                    ATTEMPTS.incrementAndGet();
                    final HttpResponse<String> response = api.get("/api/v1/snapshot?path=tenants/acme");
                    assertThat(response.statusCode()).isEqualTo(401);
                    assertThat(response.body()).doesNotContain("acme/plants");
                }));
    }

    @TestFactory
    @Order(9)
    Stream<DynamicTest> nordvoltOperatorCannotWatchAcmeOverWebSocket() {
        return Stream.of("tenants/acme", ACME_CELL, "tenants/acme/plants").map(path -> DynamicTest.dynamicTest(
                "live subscribe " + path, () -> {
                    ATTEMPTS.incrementAndGet();
                    try (LiveClient live = new LiveClient(server.httpPort(), TestAccess.NORDVOLT_OPERATOR)) {
                        live.subscribe(path);
                        final JsonNode frame = live.next(5);
                        assertThat(frame.path("type").asText()).isEqualTo("error");
                        assertThat(frame.path("error").asText()).contains("outside what you may see");
                        Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
                        assertThat(live.poll(500)).isNull();
                    }
                }));
    }

    @TestFactory
    @Order(10)
    Stream<DynamicTest> nordvoltOperatorsWideLiveSubscriptionsLeaveAcmeOut() {
        return Stream.of("", "tenants").map(path -> DynamicTest.dynamicTest("live subscribe '" + path + "'", () -> {
            ATTEMPTS.incrementAndGet();
            try (LiveClient live = new LiveClient(server.httpPort(), TestAccess.NORDVOLT_OPERATOR)) {
                live.subscribe(path);
                assertThat(live.next(5).toString()).doesNotContain("acme");
                Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
                final JsonNode frame = live.poll(500);
                assertThat(frame == null ? "" : frame.toString()).doesNotContain("acme");
            }
        }));
    }

    @Test
    @Order(11)
    void anUnauthenticatedWebSocketIsRefused() {
        ATTEMPTS.incrementAndGet();
        assertThatThrownBy(() -> new LiveClient(server.httpPort(), "nobody", "nothing"))
                .hasStackTraceContaining("Unexpected HTTP response status code 401");
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
        Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
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
        // Gateways have no HTTP login at all (401); an operator is known but not a global admin (403).
        for (final Map.Entry<String, Integer> user : Map.of(TestAccess.NORDVOLT_OPERATOR, 403,
                TestAccess.NORDVOLT_GATEWAY, 401).entrySet()) {
            ATTEMPTS.incrementAndGet();
            assertThat(new HttpApi(server.httpPort(), user.getKey()).post("/api/v1/clients/disconnect?client=gw-acme-1")
                    .statusCode()).isEqualTo(user.getValue());
        }
        assertThat(acmeGateway.getState().isConnected()).isTrue();
    }

    @Test
    @Order(14)
    void nordvoltOperatorListsNoneOfAcmesGateways() throws Exception {
        ATTEMPTS.incrementAndGet();
        final JsonNode seenByAdmin = new HttpApi(server.httpPort()).getJson("/api/v1/gateways");
        assertThat(seenByAdmin.toString()).as("the admin sees acme's gateway").contains("\"gateway\":\"gw-acme-1\"");
        final JsonNode seenByNordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR)
                .getJson("/api/v1/gateways");
        assertThat(seenByNordvolt.path("gateways").isArray()).isTrue();
        assertThat(seenByNordvolt.toString()).doesNotContain("acme");
    }

    @Test
    @Order(15)
    void nordvoltOperatorsLiveGatewayStatesLeaveAcmeOut() throws Exception {
        ATTEMPTS.incrementAndGet();
        try (LiveClient nordvolt = new LiveClient(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
             LiveClient acme = new LiveClient(server.httpPort(), TestAccess.ACME_OPERATOR)) {
            nordvolt.watchGateways();
            acme.watchGateways();
            final JsonNode snapshot = nordvolt.next(5);
            assertThat(snapshot.path("type").asText()).isEqualTo("gateways");
            assertThat(snapshot.toString()).doesNotContain("acme");
            assertThat(acme.next(5).toString()).contains("gw-acme-1");
            // An acme gateway comes and goes: acme's operator sees both changes, nordvolt's nothing.
            Gateways.connect("gw-acme-1-isolation", server.mqttPort(), TestAccess.ACME_GATEWAY).disconnect();
            assertThat(acme.next(5).toString()).contains("gw-acme-1-isolation").contains("online");
            assertThat(acme.next(5).toString()).contains("gw-acme-1-isolation").contains("offline");
            final JsonNode leaked = nordvolt.poll(500);
            assertThat(leaked == null ? "" : leaked.toString()).doesNotContain("acme");
        }
    }

    @TestFactory
    @Order(16)
    Stream<DynamicTest> healthEndpointsTellNobodyAnythingOfAcme() {
        // /healthz and /readyz need no login: whoever asks, logged in as nordvolt or not at all, learns nothing of
        // acme (tenant, gateway, series, value); /metrics stays admins-only.
        final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
        final HttpApi stranger = new HttpApi(server.httpPort(), "nobody", "wrong");
        return Stream.of("/healthz", "/readyz", "/metrics").flatMap(path -> Stream.of(
                DynamicTest.dynamicTest("GET " + path + " as nordvolt", () -> check(nordvolt, path)),
                DynamicTest.dynamicTest("GET " + path + " without a login", () -> check(stranger, path))));
    }

    private static void check(final HttpApi caller, final String path) throws Exception {
        ATTEMPTS.incrementAndGet();
        final HttpResponse<String> response = caller.get(path);
        if (path.equals("/metrics")) {
            assertThat(response.statusCode()).isIn(401, 403, 429);
        } else {
            assertThat(response.statusCode()).isEqualTo(200);
        }
        assertThat(response.body()).doesNotContain("acme").doesNotContain("gw-").doesNotContain("tenants")
                .doesNotContain("3.7");
    }

    @Test
    @Order(16)
    void nordvoltOperatorSeesAcknowledgesAndReceivesNoneOfAcmesAlerts() throws Exception {
        ATTEMPTS.incrementAndGet();
        final HttpApi admin = new HttpApi(server.httpPort());
        Files.writeString(dir.resolve("conf").resolve("alerts.rules"), """
                tenant acme
                alert warm threshold plants/+/racks/+/packs/+/cells/+/temperature > 20
                tenant nordvolt
                alert hot threshold plants/+/racks/+/packs/+/cells/+/temperature > 60
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getJson("/api/v1/alerts/status")
                .path("tenants").size() == 2);
        try (LiveClient nordvoltLive = new LiveClient(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
             Attacker operator = Attacker.operator()) {
            nordvoltLive.send("{\"op\":\"alerts\"}");
            assertThat(nordvoltLive.next(5).path("type").asText()).isEqualTo("alerts");
            // The same values again: acme's data stays as it was, and its rule raises an alert.
            assertThat(Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}")
                    .isError()).isFalse();
            final JsonNode raised = await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.getJson("/api/v1/alerts?state=raised"), a -> a.path("alerts").size() == 1)
                    .path("alerts").get(0);
            final String id = raised.path("id").asText();
            assertThat(raised.path("tenant").asText()).isEqualTo("acme");
            assertThat(new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR).getJson("/api/v1/alerts")
                    .path("alerts").size()).as("acme's operator sees it").isEqualTo(1);

            final HttpApi nordvolt = new HttpApi(server.httpPort(), TestAccess.NORDVOLT_OPERATOR);
            final JsonNode listed = nordvolt.getJson("/api/v1/alerts");
            assertThat(listed.path("alerts").isArray()).isTrue();
            assertThat(listed.path("alerts").size()).isZero();
            assertThat(nordvolt.get("/api/v1/alerts?node=tenants/acme").statusCode()).isEqualTo(403);
            assertThat(nordvolt.post("/api/v1/alerts/acknowledge?tenant=acme&id=" + enc(id)).statusCode())
                    .isEqualTo(403);
            assertThat(nordvolt.post("/api/v1/alerts/acknowledge?id=" + enc(id)).statusCode()).isEqualTo(404);
            final JsonNode status = nordvolt.getJson("/api/v1/alerts/status");
            assertThat(status.path("tenants").size()).isEqualTo(1);
            assertThat(status.toString()).doesNotContain("acme");
            assertThat(suback(operator.client, "tenants/acme/alerts/#"))
                    .doesNotContain(Mqtt5SubAckReasonCode.GRANTED_QOS_0, Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                            Mqtt5SubAckReasonCode.GRANTED_QOS_2);
            final JsonNode leaked = nordvoltLive.poll(500);
            assertThat(leaked == null ? "" : leaked.toString()).doesNotContain("acme");
            assertThat(firstOutsideNordvolt(operator.received, 200)).isNull();
            assertThat(admin.getJson("/api/v1/alerts?state=raised").path("alerts").get(0).path("id").asText())
                    .as("still raised, nobody acknowledged it").isEqualTo(id);
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

    /** Waits until {@code more} further synthetic probes have been committed to DuckDB. */
    private static void awaitProbes(final int more) throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
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

    @TestFactory
    @Order(20)
    Stream<DynamicTest> nobodyNotEvenTheGlobalAdminReadsTheProbesTenantOverRest() throws Exception {
        awaitProbes(1);
        final String probe = TopicBuilder.probe();
        final List<String> forbidden = List.of("/api/v1/tree?path=tenants/~cellwatch",
                "/api/v1/tree?path=" + enc("tenants/~cellwatch/probes/e2e"), "/api/v1/snapshot?path=tenants/~cellwatch",
                "/api/v1/snapshot?path=" + enc(probe), "/api/v1/history?series=" + enc(probe),
                "/api/v1/plants?path=tenants/~cellwatch");
        final List<String> wide = List.of("/api/v1/tree", "/api/v1/snapshot", "/api/v1/snapshot?path=tenants",
                "/api/v1/gateways", "/api/v1/alerts", "/api/v1/plants", "/api/v1/me");
        return Stream.of(TestAccess.ADMIN, TestAccess.ACME_OPERATOR, TestAccess.NORDVOLT_OPERATOR).flatMap(user -> {
            final HttpApi caller = new HttpApi(server.httpPort(), user);
            return Stream.concat(
                    forbidden.stream().map(path -> DynamicTest.dynamicTest(user + " GET " + path, () -> {
                        ATTEMPTS.incrementAndGet();
                        final HttpResponse<String> response = caller.get(path);
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
                        assertThat(response.body()).doesNotContain("samples").doesNotContain("children");
                    })),
                    wide.stream().map(path -> DynamicTest.dynamicTest(user + " GET " + path, () -> {
                        ATTEMPTS.incrementAndGet();
                        final HttpResponse<String> response = caller.get(path);
                        assertThat(response.statusCode()).isIn(200, 404);
                        assertThat(response.body()).doesNotContain("~cellwatch").doesNotContain("cellwatch:probe");
                    })));
        });
    }

    @Test
    @Order(20)
    void nobodyNotEvenTheGlobalAdminWatchesTheProbesTenantLive() throws Exception {
        for (final String user : List.of(TestAccess.ADMIN, TestAccess.ACME_OPERATOR)) {
            try (LiveClient everything = new LiveClient(server.httpPort(), user);
                 LiveClient probe = new LiveClient(server.httpPort(), user)) {
                ATTEMPTS.incrementAndGet();
                probe.subscribe("tenants/~cellwatch");
                final JsonNode refused = probe.next(5);
                assertThat(refused.path("type").asText()).isEqualTo("error");
                assertThat(refused.path("error").asText()).contains("outside what you may see");

                everything.subscribe("");
                assertThat(everything.next(5).toString()).doesNotContain("~cellwatch");
                awaitProbes(2);
                Gateways.publish(acmeGateway, ACME_CELL, "{\"voltage\":3.7,\"temperature\":25.5,\"soc\":0.8}");
                for (JsonNode frame; (frame = everything.poll(500)) != null; ) {
                    assertThat(frame.toString()).doesNotContain("~cellwatch");
                }
                assertThat(probe.poll(100)).isNull();
            }
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
            awaitProbes(2);
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
        awaitProbes(1);
    }

    @Test
    @Order(100)
    void acmesDataIsUnchangedAfterEveryAttempt() throws Exception {
        final HttpApi admin = new HttpApi(server.httpPort());
        assertThat(acmeSamples(admin)).isEqualTo(acmeBefore);
        assertThat(acmeTree(admin)).isEqualTo(acmeTreeBefore);
        for (Mqtt5Publish received; (received = acmeReceived.poll()) != null; ) {
            assertThat(new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8)).doesNotContain("6.66");
        }
        assertThat(new HttpApi(server.httpPort()).metric("cellwatch_mqtt_acl_denied_total{action=\"publish\"}")).isPositive();
        assertThat(ATTEMPTS.get()).as("attempts made").isGreaterThanOrEqualTo(30);
    }

    private static Map<String, Double> acmeSamples(final HttpApi admin) throws Exception {
        final Map<String, Double> samples = new TreeMap<>();
        for (final JsonNode sample : admin.snapshot("tenants/acme").path("samples")) {
            samples.put(sample.path("series").asText(), sample.path("value").asDouble());
        }
        return samples;
    }

    private static List<String> acmeTree(final HttpApi admin) throws Exception {
        return admin.treePaths().stream().filter(p -> p.contains("acme")).sorted().toList();
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

    private static String enc(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
