package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MQTT logins are throttled like HTTP logins, against the same limits: after five wrong passwords for a user within
 * a minute even the right one is refused (MQTT 5: quota exceeded), over MQTT and over HTTP, and both are counted.
 */
@Timeout(60)
class MqttLoginThrottleIT {

    @TempDir
    Path dir;
    CellwatchServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fiveWrongPasswordsBlockTheRightOneOverMqttAndHttp() throws Exception {
        final String user = TestAccess.ACME_OPERATOR;
        for (int i = 0; i < 5; i++) {
            assertThat(refusal(user, "guess " + i)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }

        assertThat(refusal(user, TestAccess.password(user))).isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
        final String body = HttpApi.JSON.createObjectNode().put("user", user).put("password", TestAccess.password(user))
                .toString();
        final HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(429);
        final HttpApi admin = new HttpApi(server.httpPort());
        assertThat(admin.metric("cellwatch_mqtt_logins_refused_total{reason=\"bad_credentials\"}")).isEqualTo(5.0);
        assertThat(admin.metric("cellwatch_mqtt_logins_refused_total{reason=\"throttled\"}")).isEqualTo(1.0);
    }

    @Test
    void anotherUserFromTheSameAddressStillLogsIn() {
        for (int i = 0; i < 5; i++) {
            refusal(TestAccess.NORDVOLT_OPERATOR, "guess " + i);
        }

        Gateways.connect("still-in", server.mqttPort(), TestAccess.ACME_OPERATOR).disconnect();
    }

    private Mqtt5ConnAckReasonCode refusal(final String user, final String password) {
        final var client = MqttClient.builder().useMqttVersion5().identifier("throttle-probe")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        final Mqtt5ConnAckReasonCode[] code = new Mqtt5ConnAckReasonCode[1];
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> code[0] = e.getMqttMessage().getReasonCode());
        return code[0];
    }
}
