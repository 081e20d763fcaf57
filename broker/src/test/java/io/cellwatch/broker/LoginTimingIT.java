package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.cellwatch.acl.password.PasswordHash;
import io.cellwatch.broker.config.ServerConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A failed login tells nothing about whether the user exists: with production-like hash costs (PBKDF2 at 50,000
 * iterations) an unknown user's refused MQTT CONNECT or HTTP Basic request takes as long as a known user's with a
 * wrong password (medians over interleaved tries, within a generous factor of two).
 */
@RunsAlone
@Timeout(300)
class LoginTimingIT {

    private static final int ITERATIONS = 50_000;
    private static final int TRIES = 15;

    @TempDir
    Path dir;
    CellwatchServer server;

    @BeforeEach
    void start() throws Exception {
        // The failed-login throttle would slow the later tries of both kinds alike; keep it out of the measurement.
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf").resolve(ServerConfig.FILE_NAME), "auth.login-failures-per-minute = 10000\n");
        final ServerConfig config = TestServers.config(dir);
        final StringBuilder passwd = new StringBuilder();
        for (final String user : new String[] {TestAccess.ADMIN, TestAccess.ACME_GATEWAY, TestAccess.ACME_OPERATOR,
                TestAccess.NORDVOLT_GATEWAY, TestAccess.NORDVOLT_OPERATOR}) {
            passwd.append(user).append(':')
                    .append(PasswordHash.pbkdf2Sha512(TestAccess.password(user).toCharArray(), ITERATIONS)).append('\n');
        }
        Files.writeString(dir.resolve("conf").resolve("passwd"), passwd, StandardCharsets.UTF_8);
        server = new CellwatchServer(config);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anUnknownUsersRefusedConnectTakesAsLongAsAKnownUsersWrongPassword() {
        final List<Long> known = new ArrayList<>();
        final List<Long> unknown = new ArrayList<>();
        for (int i = -3; i < TRIES; i++) {
            final long k = refusedConnectNanos(TestAccess.ACME_OPERATOR, "guess-" + i);
            final long u = refusedConnectNanos("nobody-" + i, "guess-" + i);
            if (i >= 0) {
                known.add(k);
                unknown.add(u);
            }
        }

        assertThat((double) median(unknown) / median(known)).as("median unknown %s ms / known %s ms",
                median(unknown) / 1e6, median(known) / 1e6).isBetween(0.5, 2.0);
    }

    @Test
    void anUnknownUsersRefusedBasicLoginTakesAsLongAsAKnownUsersWrongPassword() throws Exception {
        final List<Long> known = new ArrayList<>();
        final List<Long> unknown = new ArrayList<>();
        for (int i = -3; i < TRIES; i++) {
            final long k = refusedBasicNanos(TestAccess.ACME_OPERATOR, "guess-" + i);
            final long u = refusedBasicNanos("nobody-" + i, "guess-" + i);
            if (i >= 0) {
                known.add(k);
                unknown.add(u);
            }
        }

        assertThat((double) median(unknown) / median(known)).as("median unknown %s ms / known %s ms",
                median(unknown) / 1e6, median(known) / 1e6).isBetween(0.5, 2.0);
    }

    private long refusedConnectNanos(final String user, final String password) {
        final var client = MqttClient.builder().useMqttVersion5().identifier(user + "-timing")
                .serverHost("127.0.0.1").serverPort(server.mqttPort())
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        final long start = System.nanoTime();
        assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        return System.nanoTime() - start;
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private long refusedBasicNanos(final String user, final String password) throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/v1/me")).header("Authorization", TestAccess.basic(user, password)).GET().build();
        final long start = System.nanoTime();
        final HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        final long took = System.nanoTime() - start;
        assertThat(answer.statusCode()).isEqualTo(401);
        return took;
    }

    private static long median(final List<Long> values) {
        final List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
