package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A client id and its session belong to the user who opened them: another user — of another tenant, of the same
 * tenant, or a global admin — can neither resume the session, nor take it over, nor kick its client; the owner
 * resumes and takes over as usual, across broker restarts (file persistence). Real MQTT 5 and 3.1.1 clients.
 */
@Timeout(120)
class ClientIdOwnershipIT {

    private static final String ACME_VOLTAGE = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1/voltage";

    @TempDir
    Path dir;
    ServerConfig config;
    CellwatchServer server;

    @BeforeEach
    void start() throws Exception {
        config = TestServers.config(dir);
        // Gateways connect under their own user name, or the user name and a suffix; operators also under shared-*,
        // so that two users can compete for one id.
        Files.writeString(dir.resolve("conf").resolve("acl"), "clientid gateways %u\nclientid gateways %u-*\n"
                + "clientid operators %u\nclientid operators %u-*\nclientid operators shared-*\n"
                + TestAccess.ACL, StandardCharsets.UTF_8);
        server = new CellwatchServer(config);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anotherTenantCannotResumeAnOfflineSessionAndGetsNothingOfIt() throws Exception {
        final Mqtt5BlockingClient alice = persistent("shared-dash", TestAccess.ACME_OPERATOR);
        // Plant data only: the broker's gateway states (tenants/acme/gateways/…) would be queued too.
        alice.subscribeWith().topicFilter("tenants/acme/plants/#").qos(MqttQos.AT_LEAST_ONCE).send();
        alice.disconnect();
        publishAsAcmeGateway(3.99);

        final Mqtt5BlockingClient bob = client("shared-dash", TestAccess.NORDVOLT_OPERATOR);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = bob.publishes(MqttGlobalPublishFilter.ALL)) {
            assertRefused(() -> bob.connectWith().cleanStart(false).sessionExpiryInterval(3600).send());
            assertThat(received.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        }

        final Mqtt5BlockingClient owner = client("shared-dash", TestAccess.ACME_OPERATOR);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = owner.publishes(MqttGlobalPublishFilter.ALL)) {
            final Mqtt5ConnAck connAck = owner.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            assertThat(connAck.isSessionPresent()).isTrue();
            final Optional<Mqtt5Publish> queued = received.receive(5, TimeUnit.SECONDS);
            assertThat(queued).isPresent();
            assertThat(queued.get().getTopic().toString()).isEqualTo(ACME_VOLTAGE);
        }
        owner.disconnect();
    }

    @Test
    void nobodyElseCanKickAConnectedGatewayWhichKeepsPublishing() {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        for (final String intruder : new String[] {TestAccess.NORDVOLT_GATEWAY, TestAccess.NORDVOLT_OPERATOR,
                TestAccess.ACME_OPERATOR, TestAccess.ADMIN}) {
            assertRefused(() -> Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(), intruder));
        }
        assertThat(gateway.getState().isConnected()).isTrue();
        assertThat(Gateways.publish(gateway, ACME_VOLTAGE, "3.71").isError()).isFalse();
        gateway.disconnect();
    }

    @Test
    void aGlobalAdminDisconnectsAClientWithTheAdminActionNotATakeover() throws Exception {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);

        assertThat(operator.post("/api/v1/clients/disconnect?client=" + TestAccess.ACME_GATEWAY).statusCode())
                .isEqualTo(403);
        assertThat(gateway.getState().isConnected()).isTrue();
        final var kicked = new HttpApi(server.httpPort()).post("/api/v1/clients/disconnect?client="
                + TestAccess.ACME_GATEWAY);

        assertThat(kicked.statusCode()).isEqualTo(200);
        assertThat(kicked.body()).contains("\"disconnected\":true");
        await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.getState().isConnected());
    }

    @Test
    void anMqtt3ClientIsRefusedWithIdentifierRejected() {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        final Mqtt3BlockingClient intruder = MqttClient.builder().useMqttVersion3().identifier(TestAccess.ACME_GATEWAY)
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.NORDVOLT_GATEWAY)
                .password(TestAccess.password(TestAccess.NORDVOLT_GATEWAY).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();

        assertThatThrownBy(() -> intruder.connectWith().cleanSession(false).send())
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(e.getMqttMessage()
                        .getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED));
        assertThat(gateway.getState().isConnected()).isTrue();
        gateway.disconnect();
    }

    @Test
    void ownershipAndTheOwnersQueuedMessagesSurviveARestart() throws Exception {
        // Sessions survive a restart only with the broker's file persistence.
        server.close();
        config = config.withInMemoryBroker(false);
        server = new CellwatchServer(config);
        server.start();
        final Mqtt5BlockingClient alice = persistent("shared-dash-r", TestAccess.ACME_OPERATOR);
        // Plant data only: the broker's gateway states (tenants/acme/gateways/…) would be queued too.
        alice.subscribeWith().topicFilter("tenants/acme/plants/#").qos(MqttQos.AT_LEAST_ONCE).send();
        alice.disconnect();
        server.close();
        server = new CellwatchServer(config);
        server.start();
        publishAsAcmeGateway(3.88);

        assertRefused(() -> client("shared-dash-r", TestAccess.NORDVOLT_OPERATOR).connectWith()
                .cleanStart(false).sessionExpiryInterval(3600).send());
        final Mqtt5BlockingClient owner = client("shared-dash-r", TestAccess.ACME_OPERATOR);
        try (Mqtt5BlockingClient.Mqtt5Publishes received = owner.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(owner.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent())
                    .isTrue();
            final Optional<Mqtt5Publish> queued = received.receive(5, TimeUnit.SECONDS);
            assertThat(queued).isPresent();
            assertThat(new String(queued.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("3.88");
        }
        owner.disconnect();
    }

    @Test
    void theOwnersNewConnectionTakesOverItsOwnStaleOne() {
        final Mqtt5BlockingClient stale = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        final Mqtt5BlockingClient fresh = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);

        await().atMost(Duration.ofSeconds(5)).until(() -> !stale.getState().isConnected());
        assertThat(Gateways.publish(fresh, ACME_VOLTAGE, "3.72").isError()).isFalse();
        fresh.disconnect();
    }

    @Test
    void aGatewayWhoseClientIdBreaksTheClientidRuleIsRefused() {
        assertThatThrownBy(() -> Gateways.connect("rogue-id", server.mqttPort(), TestAccess.ACME_GATEWAY))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage()
                        .getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
        Gateways.connect(TestAccess.ACME_GATEWAY + "-modbus", server.mqttPort(), TestAccess.ACME_GATEWAY)
                .disconnect();
    }

    @Test
    void aCleanSessionFreesTheClientIdWhenItEnds() {
        Gateways.connect("shared-bench", server.mqttPort(), TestAccess.ACME_OPERATOR).disconnect();

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            Gateways.connect("shared-bench", server.mqttPort(), TestAccess.NORDVOLT_OPERATOR).disconnect();
            return true;
        });
    }

    private void publishAsAcmeGateway(final double value) {
        final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                TestAccess.ACME_GATEWAY);
        assertThat(Gateways.publish(gateway, ACME_VOLTAGE, Double.toString(value)).isError()).isFalse();
        gateway.disconnect();
    }

    private Mqtt5BlockingClient persistent(final String clientId, final String user) {
        final Mqtt5BlockingClient client = client(clientId, user);
        client.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        return client;
    }

    private Mqtt5BlockingClient client(final String clientId, final String user) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
    }

    private static void assertRefused(final Runnable connect) {
        assertThatThrownBy(connect::run).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            assertThat(e.getMqttMessage().isSessionPresent()).isFalse();
        });
    }
}
