package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.config.ConfigErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Per-tenant quotas through the real broker with real MQTT 5 clients: one tenant over a limit is refused with
 * QUOTA_EXCEEDED (0x97) and a reason string, counted per limit and tenant; the other tenant and everything already
 * stored stay as they were. Limits are set small in {@code cellwatch.properties} and raised per tenant by
 * {@code limit} lines of the ACL file.
 */
@Timeout(120)
class TenantQuotaIT {

    /** Success, or 0x10 no matching subscribers: accepted either way. */
    private static final java.util.function.Predicate<Mqtt5PubAckReasonCode> ACCEPTED = code -> !code.isError();
    private static final String ACME = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/";
    private static final AtomicInteger WILLS = new AtomicInteger();
    private static final String NORDVOLT = "tenants/nordvolt/plants/p1/racks/r1/packs/k1/cells/";

    @TempDir
    Path dir;
    private final Closer closer = new Closer();
    private CellwatchServer server;
    private HttpApi admin;

    @AfterEach
    void stop() throws Exception {
        closer.close();
    }

    @Test
    void aNodeOverTheSeriesLimitIsRefusedWholeAndOtherTenantsStillGrow() throws Exception {
        start("quota.series-per-tenant = 20\n", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(acme, ACME + "1", node("m", 15))).matches(ACCEPTED, "accepted");

        final Mqtt5PubAck refused = publish(acme, ACME + "2", node("m", 10), false);

        assertThat(refused.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(refused.getReasonString().map(Object::toString).orElse(""))
                .contains("series").contains("20");
        assertThat(admin.treePaths()).doesNotContain(ACME + "2");
        assertThat(seriesUnder("tenants/acme")).isEqualTo(15);
        assertThat(admin.metric("cellwatch_quota_refused_total{limit=\"series\",tenant=\"acme\"}")).isEqualTo(1.0);
        // What is stored keeps taking samples; the other tenant keeps growing.
        assertThat(Gateways.publish(acme, ACME + "1", node("m", 15))).matches(ACCEPTED, "accepted");
        final Mqtt5BlockingClient nordvolt = gateway(TestAccess.NORDVOLT_GATEWAY);
        assertThat(Gateways.publish(nordvolt, NORDVOLT + "1", node("m", 18)))
                .matches(ACCEPTED, "accepted");
        await().atMost(Duration.ofSeconds(5)).until(() -> seriesUnder("tenants/nordvolt") == 18);
    }

    @Test
    void newSeriesBeyondThePerMinuteRateAreRefusedButKnownSeriesKeepFlowing() throws Exception {
        start("quota.new-series-per-minute = 10\n", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(acme, ACME + "1", node("m", 8))).matches(ACCEPTED, "accepted");

        assertThat(Gateways.publish(acme, ACME + "2", node("m", 8))).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(Gateways.publish(acme, ACME + "1", node("m", 8))).matches(ACCEPTED, "accepted");
        assertThat(admin.treePaths()).doesNotContain(ACME + "2");
        assertThat(admin.metric(
                "cellwatch_quota_refused_total{limit=\"new-series-per-minute\",tenant=\"acme\"}")).isEqualTo(1.0);
    }

    @Test
    void aNodePayloadWithMoreMetricsThanTheDefaultLimitIsRefused() throws Exception {
        start("", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);

        assertThat(Gateways.publish(acme, ACME + "1", node("m", 1_001)))
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(Gateways.publish(acme, ACME + "1", node("m", 1_000))).matches(ACCEPTED, "accepted");
        assertThat(admin.metric(
                "cellwatch_quota_refused_total{limit=\"metrics-per-payload\",tenant=\"acme\"}")).isEqualTo(1.0);
    }

    @Test
    void anOversizeRetainedPayloadOnAMetaTopicIsRefusedAndNotRetained() throws Exception {
        start("", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        final String meta = "tenants/acme/plants/p9/meta";

        final Mqtt5PubAck refused = publish(acme, meta, new byte[65 * 1024], true);

        assertThat(refused.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(refused.getReasonString().map(Object::toString).orElse("")).contains("65536");
        assertThat(retained(TestAccess.ACME_OPERATOR, meta)).isEmpty();
        assertThat(admin.metric("cellwatch_quota_refused_total{limit=\"payload-bytes\",tenant=\"acme\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void anOversizePayloadOnAPlainForeignTopicIsRefused() throws Exception {
        start("", "");
        final Mqtt5BlockingClient nordvolt = gateway(TestAccess.NORDVOLT_GATEWAY);

        assertThat(publish(nordvolt, "factory/machine/press/raw", new byte[70_000], false).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(publish(nordvolt, "factory/machine/press/raw", new byte[1_000], false).getReasonCode())
                .matches(ACCEPTED, "accepted");
    }

    @Test
    void replacedAndClearedRetainedMessagesFreeTheirBytes() throws Exception {
        start("quota.retained-bytes-per-tenant = 4096\n", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        for (int plant = 1; plant <= 3; plant++) {
            assertThat(publish(acme, meta(plant), new byte[1_000], true).getReasonCode())
                    .matches(ACCEPTED, "accepted");
        }
        assertThat(publish(acme, meta(4), new byte[1_200], true).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(retained(TestAccess.ACME_OPERATOR, meta(4))).isEmpty();
        // The other tenant is not affected by acme's retained bytes.
        assertThat(publish(gateway(TestAccess.NORDVOLT_GATEWAY), "tenants/nordvolt/plants/p1/meta",
                new byte[3_000], true).getReasonCode()).matches(ACCEPTED, "accepted");

        assertThat(publish(acme, meta(1), new byte[10], true).getReasonCode())
                .matches(ACCEPTED, "accepted");
        assertThat(publish(acme, meta(4), new byte[900], true).getReasonCode())
                .matches(ACCEPTED, "accepted");
        assertThat(publish(acme, meta(5), new byte[1_500], true).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(publish(acme, meta(2), new byte[0], true).getReasonCode())
                .matches(ACCEPTED, "accepted");
        assertThat(publish(acme, meta(5), new byte[1_500], true).getReasonCode())
                .matches(ACCEPTED, "accepted");
        assertThat(retained(TestAccess.ACME_OPERATOR, meta(3))).isPresent();
        assertThat(admin.metric("cellwatch_quota_refused_total{limit=\"retained-bytes\",tenant=\"acme\"}"))
                .isEqualTo(2.0);
    }

    @Test
    void theRetainedMessageLimitCountsMessagesPerTenant() throws Exception {
        start("quota.retained-messages-per-tenant = 2\n", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        assertThat(publish(acme, meta(1), new byte[10], true).getReasonCode()).matches(ACCEPTED, "accepted");
        assertThat(publish(acme, meta(2), new byte[10], true).getReasonCode()).matches(ACCEPTED, "accepted");

        assertThat(publish(acme, meta(3), new byte[10], true).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(publish(acme, meta(2), new byte[20], true).getReasonCode())
                .as("replacing a retained message adds none").matches(ACCEPTED, "accepted");
    }

    @Test
    void retainedBytesAreStillCountedAfterARestart() throws Exception {
        final String properties = "quota.retained-bytes-per-tenant = 4096\n";
        start(properties, "", false);
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        for (int plant = 1; plant <= 3; plant++) {
            assertThat(publish(acme, meta(plant), new byte[1_000], true).getReasonCode())
                    .matches(ACCEPTED, "accepted");
        }
        closer.close();

        start(properties, "", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/readyz").statusCode() == 200);
        final Mqtt5BlockingClient again = gateway(TestAccess.ACME_GATEWAY);

        assertThat(publish(again, meta(4), new byte[1_200], true).getReasonCode())
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(publish(again, meta(1), new byte[0], true).getReasonCode())
                .matches(ACCEPTED, "accepted");
        assertThat(publish(again, meta(4), new byte[1_200], true).getReasonCode())
                .matches(ACCEPTED, "accepted");
    }

    @Test
    void aWillOverThePayloadLimitIsRefusedAtConnect() throws Exception {
        start("ingest.max-payload-bytes = 1024\n", "");

        assertThatThrownBy(() -> connectWithWill(TestAccess.ACME_GATEWAY, meta(1), new byte[2_000], false))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                        refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.PACKET_TOO_LARGE));
        assertThat(connectWithWill(TestAccess.ACME_GATEWAY, meta(1), new byte[1_000], false).getState().isConnected())
                .isTrue();
    }

    @Test
    void aRetainedWillCountsAgainstTheRetainedMessageLimitFromConnect() throws Exception {
        start("quota.retained-messages-per-tenant = 2\n", "");
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);
        assertThat(publish(acme, meta(1), new byte[10], true).getReasonCode()).matches(ACCEPTED, "accepted");
        connectWithWill(TestAccess.ACME_GATEWAY, meta(2), new byte[10], true);

        assertThatThrownBy(() -> connectWithWill(TestAccess.ACME_GATEWAY, meta(3), new byte[10], true))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                        refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED));
        assertThat(publish(acme, meta(3), new byte[10], true).getReasonCode())
                .as("the will's retained message is counted before it is sent")
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
    }

    @Test
    void aNewSubscriptionPastThePerClientLimitIsRefusedEvenAfterAReconnect() throws Exception {
        start("quota.subscriptions-per-client = 2\n", "");
        final String id = TestAccess.ACME_OPERATOR + "-subs";
        final Mqtt5BlockingClient operator = persistentClient(id, TestAccess.ACME_OPERATOR);
        assertThat(subscribe(operator, "tenants/acme/plants/p1/#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(subscribe(operator, "tenants/acme/plants/p2/#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);

        assertThat(subscribe(operator, "tenants/acme/plants/p3/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(subscribe(operator, "tenants/acme/plants/p1/#")).as("a repeat adds none")
                .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        operator.disconnect();

        final Mqtt5BlockingClient again = persistentClient(id, TestAccess.ACME_OPERATOR);
        assertThat(subscribe(again, "tenants/acme/plants/p3/#")).as("the session kept two")
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        again.unsubscribeWith().topicFilter("tenants/acme/plants/p2/#").send();
        assertThat(subscribe(again, "tenants/acme/plants/p3/#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(subscribe(gateway(TestAccess.NORDVOLT_OPERATOR), "tenants/nordvolt/plants/p1/#"))
                .as("another client").isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
    }

    @Test
    void aUserPastItsSessionsLimitIsRefusedANewClientIdWithQuotaExceeded() throws Exception {
        start("quota.sessions-per-user = 2\n", "");
        persistentClient(TestAccess.ACME_OPERATOR + "-1", TestAccess.ACME_OPERATOR).disconnect();
        persistentClient(TestAccess.ACME_OPERATOR + "-2", TestAccess.ACME_OPERATOR);

        assertThatThrownBy(() -> persistentClient(TestAccess.ACME_OPERATOR + "-3", TestAccess.ACME_OPERATOR))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                        refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED));
        assertThat(persistentClient(TestAccess.ACME_OPERATOR + "-1", TestAccess.ACME_OPERATOR).getState()
                .isConnected()).as("an id it holds").isTrue();
        assertThat(persistentClient(TestAccess.NORDVOLT_OPERATOR + "-3", TestAccess.NORDVOLT_OPERATOR).getState()
                .isConnected()).as("another user").isTrue();
    }

    @Test
    void aLimitLineInTheAclRaisesTheLimitForThatTenantOnly() throws Exception {
        start("quota.series-per-tenant = 20\n", "limit series 100\n");
        final Mqtt5BlockingClient nordvolt = gateway(TestAccess.NORDVOLT_GATEWAY);
        final Mqtt5BlockingClient acme = gateway(TestAccess.ACME_GATEWAY);

        assertThat(Gateways.publish(nordvolt, NORDVOLT + "1", node("m", 60)))
                .matches(ACCEPTED, "accepted");
        assertThat(Gateways.publish(acme, ACME + "1", node("m", 60)))
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
    }

    /** Starts a server whose properties file holds {@code properties} and whose nordvolt block ends in {@code nordvoltLines}. */
    private void start(final String properties, final String nordvoltLines) throws Exception {
        start(properties, nordvoltLines, true);
    }

    private void start(final String properties, final String nordvoltLines, final boolean inMemory) throws Exception {
        final Path conf = dir.resolve("conf");
        TestAccess.write(conf);
        Files.writeString(conf.resolve("acl"), TestAccess.ACL + nordvoltLines, StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("cellwatch.properties"), properties, StandardCharsets.UTF_8);
        final ConfigErrors errors = new ConfigErrors();
        final ServerConfig config = ServerConfig.load(conf, errors)
                .withDataDir(dir.resolve("data"))
                .withMqttPort(TestServers.freePort())
                .withHttpPort(TestServers.freePort())
                .withInMemoryBroker(inMemory);
        errors.throwIfAny();
        server = new CellwatchServer(config);
        closer.add(server);
        server.start();
        admin = new HttpApi(server.httpPort());
    }

    private Mqtt5BlockingClient gateway(final String user) {
        final Mqtt5BlockingClient client = Gateways.connect(user + "-quota", server.mqttPort(), user);
        closer.add(client::disconnect);
        return client;
    }

    /** Connects as {@code user} under a fresh id in its namespace, with a will. */
    private Mqtt5BlockingClient connectWithWill(final String user, final String topic, final byte[] payload,
                                                final boolean retain) {
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5()
                .identifier(user + "-will-" + WILLS.incrementAndGet())
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish().topic(topic).payload(payload).retain(retain).qos(MqttQos.AT_LEAST_ONCE)
                .applyWillPublish()
                .buildBlocking();
        client.connect();
        closer.add(client::disconnect);
        return client;
    }

    /** Connects {@code user} under {@code clientId} with a session the broker keeps for five minutes. */
    private Mqtt5BlockingClient persistentClient(final String clientId, final String user) {
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .buildBlocking();
        client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        closer.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    private static Mqtt5SubAckReasonCode subscribe(final Mqtt5BlockingClient client, final String filter) {
        try {
            return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes()
                    .get(0);
        } catch (final Mqtt5SubAckException refused) {
            return refused.getMqttMessage().getReasonCodes().get(0);
        }
    }

    private static String meta(final int plant) {
        return "tenants/acme/plants/p" + plant + "/meta";
    }

    /** A node payload of {@code count} numeric fields {@code prefix0..}. */
    private static String node(final String prefix, final int count) {
        final StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(prefix).append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    private static Mqtt5PubAck publish(final Mqtt5BlockingClient client, final String topic, final byte[] payload,
                                       final boolean retain) {
        try {
            final Mqtt5PublishResult result = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retain(retain).payload(payload).send();
            if (result.getError().isPresent() && result.getError().get() instanceof Mqtt5PubAckException e) {
                return e.getMqttMessage();
            }
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck();
        } catch (final Mqtt5PubAckException e) {
            return e.getMqttMessage();
        }
    }

    private static Mqtt5PubAck publish(final Mqtt5BlockingClient client, final String topic, final String payload,
                                       final boolean retain) {
        return publish(client, topic, payload.getBytes(StandardCharsets.UTF_8), retain);
    }

    /** Series with a latest value under {@code path}, by the snapshot API. */
    private int seriesUnder(final String path) throws Exception {
        final JsonNode samples = admin.snapshot(path).path("samples");
        return samples.size();
    }

    /** What a new subscriber of {@code user} receives as retained on {@code topic} within half a second. */
    private Optional<byte[]> retained(final String user, final String topic) throws InterruptedException {
        final Mqtt5BlockingClient subscriber = Gateways.connect(user + "-retained", server.mqttPort(), user);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            return publishes.receive(500, TimeUnit.MILLISECONDS).map(Mqtt5Publish::getPayloadAsBytes);
        } finally {
            subscriber.disconnect();
        }
    }
}
