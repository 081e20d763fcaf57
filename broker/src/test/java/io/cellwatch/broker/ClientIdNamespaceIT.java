package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Client ids have a namespace: with no {@code clientid} line for its role, a tenant member connects under its user
 * name, its user name and a {@code -suffix}, or an id the broker assigns; a gateway's own id (its user name) is
 * nobody else's, so a squatter cannot lock a gateway out — and an ownership record a squatter or an admin takeover
 * left behind gives way when the real user connects. The ACL file is {@link TestAccess#ACL}, without clientid lines.
 */
@Timeout(120)
class ClientIdNamespaceIT {

    @TempDir
    Path dir;
    ServerConfig config;
    CellwatchServer server;

    @BeforeEach
    void start() throws Exception {
        config = TestServers.config(dir);
        server = new CellwatchServer(config);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTenantMemberMayUseItsUserNameAndSuffixesByDefault() {
        Gateways.connect(TestAccess.ACME_OPERATOR, server.mqttPort(), TestAccess.ACME_OPERATOR).disconnect();
        Gateways.connect(TestAccess.ACME_OPERATOR + "-dash", server.mqttPort(), TestAccess.ACME_OPERATOR).disconnect();

        assertIdRefused(() -> Gateways.connect("dashboard-1", server.mqttPort(), TestAccess.ACME_OPERATOR));
    }

    @Test
    void aClientWithAnEmptyIdGetsOneAssignedByTheBroker() {
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5()
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.ACME_OPERATOR)
                .password(TestAccess.password(TestAccess.ACME_OPERATOR).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();

        final Mqtt5ConnAck connAck = client.connect();

        assertThat(connAck.getAssignedClientIdentifier()).isPresent();
        client.disconnect();
    }

    @Test
    void nobodyCanSquatAnOfflineGatewaysOwnIdWithAPersistentSession() {
        final Mqtt3BlockingClient squatter = MqttClient.builder().useMqttVersion3().identifier(TestAccess.ACME_GATEWAY)
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(TestAccess.NORDVOLT_OPERATOR)
                .password(TestAccess.password(TestAccess.NORDVOLT_OPERATOR).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();

        assertThatThrownBy(() -> squatter.connectWith().cleanSession(false).send())
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(e.getMqttMessage()
                        .getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED));
        assertIdRefused(() -> Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(), TestAccess.ADMIN));
        assertIdRefused(() -> Gateways.connect(TestAccess.ACME_GATEWAY + "-modbus", server.mqttPort(),
                TestAccess.NORDVOLT_GATEWAY));
        Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(), TestAccess.ACME_GATEWAY).disconnect();
    }

    @Test
    void theRealGatewayWinsOverAnOwnerRecordASquatterLeftBehind() throws Exception {
        // Sessions survive a restart only with the broker's file persistence.
        server.close();
        config = config.withInMemoryBroker(false);
        server = new CellwatchServer(config);
        server.start();
        final Mqtt5BlockingClient first = persistent(TestAccess.ACME_GATEWAY, TestAccess.ACME_GATEWAY);
        first.disconnect();
        server.close();
        // What a squat before the namespace rule left: another user owns the id, and a stored session exists.
        Files.writeString(dir.resolve("data").resolve("client-owners.jsonl"),
                "[\"+\",\"" + TestAccess.ACME_GATEWAY + "\",\"" + TestAccess.NORDVOLT_OPERATOR + "\"]\n");
        server = new CellwatchServer(config);
        server.start();

        final Mqtt5BlockingClient gateway = persistent(TestAccess.ACME_GATEWAY, TestAccess.ACME_GATEWAY);

        assertThat(gateway.getState().isConnected()).isTrue();
        gateway.disconnect();
    }

    @Test
    void anAdminTakeoverGivesWayWhenTheGatewayComesBack() throws Exception {
        server.close();
        Files.writeString(dir.resolve("conf").resolve("acl"), "admin-takeover allow\n" + TestAccess.ACL,
                StandardCharsets.UTF_8);
        server = new CellwatchServer(config);
        server.start();
        final Mqtt5BlockingClient admin = persistent(TestAccess.ACME_GATEWAY, TestAccess.ADMIN);

        final Mqtt5BlockingClient gateway = persistent(TestAccess.ACME_GATEWAY, TestAccess.ACME_GATEWAY);

        assertThat(gateway.getState().isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !admin.getState().isConnected());
        gateway.disconnect();
    }

    private Mqtt5BlockingClient persistent(final String clientId, final String user) {
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        return client;
    }

    private static void assertIdRefused(final Runnable connect) {
        assertThatThrownBy(connect::run).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
    }
}
