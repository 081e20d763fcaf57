package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.cellwatch.acl.password.PasswordHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An admin edits the password and ACL files of a running server (the real jar, a child process): a valid edit
 * applies within 2 s (and closes the live sockets of users whose rights changed), a broken one keeps the old rules
 * and is reported with file and line, and a removed gateway is cut off within 2 s.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessReloadIT {

    private static final Duration RELOAD = Duration.ofSeconds(2);
    /** The test rules with acme's operator moved to nordvolt. */
    private static final String MOVED_OPERATOR = TestAccess.ACL
            .replace("operators acme-operator", "")
            .replace("operators nordvolt-operator", "operators nordvolt-operator acme-operator");

    @TempDir
    static Path workDir;
    static ServerProcess server;
    static int mqttPort;
    static int httpPort;
    static Mqtt5BlockingClient gateway;

    @BeforeAll
    static void start() throws Exception {
        mqttPort = TestServers.freePort();
        httpPort = TestServers.freePort();
        server = ServerProcess.start(workDir, "--in-memory", "--mqtt-port", Integer.toString(mqttPort),
                "--http-port", Integer.toString(httpPort));
        gateway = Gateways.connect("gw-acme-1", mqttPort, TestAccess.ACME_GATEWAY);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Order(1)
    void aValidEditAppliesWithinTwoSeconds() throws Exception {
        final HttpApi operator = new HttpApi(httpPort, TestAccess.ACME_OPERATOR);
        assertThat(operator.getJson("/api/v1/me").path("scope").asText()).isEqualTo("tenants/acme");
        try (LiveClient live = new LiveClient(httpPort, TestAccess.ACME_OPERATOR)) {
            live.subscribe("tenants/acme");
            assertThat(live.next(5).path("type").asText()).isEqualTo("snapshot");

            writeAcl(MOVED_OPERATOR);

            await().atMost(RELOAD).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(operator.getJson("/api/v1/me").path("scope").asText()).isEqualTo("tenants/nordvolt"));
            assertThat(operator.get("/api/v1/snapshot?path=tenants/acme").statusCode()).isEqualTo(403);
            assertThat(live.closedByServer().get(2, TimeUnit.SECONDS)).as("live socket of the moved operator")
                    .isEqualTo(1008);
        }
    }

    @Test
    @Order(2)
    void aBrokenEditKeepsTheOldRulesAndIsReportedWithItsLine() throws Exception {
        final String broken = MOVED_OPERATOR + "topic sometimes tenants/acme/#\n";
        final int badLine = (int) broken.lines().count();
        writeAcl(broken);

        await().atMost(RELOAD).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(server.output()).contains("conf/acl:" + badLine + ": bad access 'sometimes'"));
        assertThat(new HttpApi(httpPort, TestAccess.ACME_OPERATOR).getJson("/api/v1/me").path("scope").asText())
                .isEqualTo("tenants/nordvolt");
        assertThat(Gateways.publish(gateway, "tenants/acme/plants/p1/cells/1/voltage", "3.7").isError()).isFalse();
        assertThat(new HttpApi(httpPort).metric("cellwatch_acl_reloads_failed_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(3)
    void aRemovedGatewayIsCutOffWithinTwoSeconds() throws Exception {
        assertThat(gateway.getState().isConnected()).isTrue();

        writeAcl(TestAccess.ACL);
        writePasswd(TestAccess.ADMIN, TestAccess.ACME_OPERATOR, TestAccess.NORDVOLT_GATEWAY,
                TestAccess.NORDVOLT_OPERATOR);

        await().atMost(RELOAD).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(gateway.getState().isConnected()).isFalse());
        assertThatThrownBy(() -> Gateways.connect("gw-acme-1", mqttPort, TestAccess.ACME_GATEWAY))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    private static void writePasswd(final String... users) throws Exception {
        final StringBuilder lines = new StringBuilder();
        for (final String user : users) {
            lines.append(user).append(':').append(PasswordHash.pbkdf2Sha512(TestAccess.password(user).toCharArray()))
                    .append('\n');
        }
        replace(workDir.resolve("conf").resolve("passwd"), lines.toString());
    }

    private static void writeAcl(final String text) throws Exception {
        replace(workDir.resolve("conf").resolve("acl"), text);
    }

    /** Writes beside the file and moves it in, as editors and config tools do. */
    private static void replace(final Path file, final String text) throws Exception {
        final Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
