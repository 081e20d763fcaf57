package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed logins (HTTP and MQTT, one count) slow the address they come from, with delays that grow, and never refuse
 * a right password from another address: a guesser cannot lock a gateway or an operator out. Addresses count per
 * /24 as well, so rotating 127.0.0.x does not dodge the count. Loopback addresses stand for attacker and victim
 * (Linux answers the whole 127.0.0.0/8).
 */
@RunsAlone
@Timeout(120)
class MqttLoginThrottleIT {

    private static final String ATTACKER = "127.0.0.2";

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
    void wrongBasicLoginsForAGatewayDoNotKeepTheRealGatewayOut() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(basic(ATTACKER, TestAccess.ACME_GATEWAY, "guess-" + i).status()).isIn(401, 429);
        }

        final long start = System.nanoTime();
        final Mqtt5BlockingClient gateway = connectFrom("127.0.1.1", TestAccess.ACME_GATEWAY);
        final long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(gateway.getState().isConnected()).isTrue();
        assertThat(millis).as("CONNECT took %d ms", millis).isLessThan(1_000);
        gateway.disconnect();
    }

    @Test
    void theAttackersOwnFurtherAttemptsAreSlowedMoreAndMore() throws Exception {
        for (int i = 0; i < 5; i++) {
            basic(ATTACKER, TestAccess.ACME_OPERATOR, "guess-" + i);
        }

        final Answer sixth = basic(ATTACKER, TestAccess.ACME_OPERATOR, "guess-6");
        final Answer seventh = basic(ATTACKER, TestAccess.ACME_OPERATOR, "guess-7");
        final Answer eighth = basic(ATTACKER, TestAccess.ACME_OPERATOR, "guess-8");

        assertThat(sixth.status()).isEqualTo(401);
        assertThat(eighth.status()).isEqualTo(401);
        assertThat(sixth.millis()).isGreaterThanOrEqualTo(400);
        assertThat(seventh.millis()).isGreaterThan(sixth.millis());
        assertThat(eighth.millis()).isGreaterThan(seventh.millis() + 300);
        assertThat(new HttpApi(server.httpPort()).metric("cellwatch_logins_delayed_total")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theRightPasswordFromASlowedAddressIsLateNotRefused() throws Exception {
        for (int i = 0; i < 7; i++) {
            basic(ATTACKER, TestAccess.ACME_OPERATOR, "guess-" + i);
        }

        final Answer right = basic(ATTACKER, TestAccess.ACME_OPERATOR, TestAccess.password(TestAccess.ACME_OPERATOR));
        final Mqtt5BlockingClient mqtt = connectFrom(ATTACKER, TestAccess.ACME_OPERATOR);

        assertThat(right.status()).isEqualTo(200);
        assertThat(right.millis()).isGreaterThanOrEqualTo(400);
        assertThat(mqtt.getState().isConnected()).isTrue();
        mqtt.disconnect();
    }

    @Test
    void rotatingAddressesWithinOneSlash24DoesNotDodgeTheCount() throws Exception {
        // One wrong guess from each of 21 addresses, each on another user name: no address nor user stands out.
        for (int i = 0; i < 21; i++) {
            assertThat(basic("127.0.0." + (10 + i), "nobody-" + i, "guess").status()).isEqualTo(401);
        }

        final Answer sameNetwork = basic("127.0.0.99", "nobody-99", "guess");
        final Answer otherNetwork = basic("127.0.1.99", "nobody-99", "guess");

        assertThat(sameNetwork.millis()).as("a fresh address in the same /24").isGreaterThanOrEqualTo(400);
        assertThat(otherNetwork.millis()).as("a fresh address in another /24").isLessThan(300);
    }

    @Test
    void anotherUserFromTheSameAddressStillLogsIn() {
        for (int i = 0; i < 5; i++) {
            basic(ATTACKER, TestAccess.NORDVOLT_OPERATOR, "guess-" + i);
        }

        connectFrom("127.0.0.1", TestAccess.ACME_OPERATOR).disconnect();
    }

    private Mqtt5BlockingClient connectFrom(final String address, final String user) {
        try {
            final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(user + "-throttle")
                    .transportConfig().serverHost("127.0.0.1").serverPort(server.mqttPort())
                    .localAddress(InetAddress.getByName(address)).applyTransportConfig()
                    .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildBlocking();
            client.connect();
            return client;
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }

    record Answer(int status, long millis) {
    }

    /** A GET of /api/v1/me with Basic credentials from {@code address} (java.net.http cannot pick the source). */
    private Answer basic(final String address, final String user, final String password) {
        final long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5_000);
            socket.setSoTimeout(20_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1:" + server.httpPort() + "\r\nAuthorization: "
                    + TestAccess.basic(user, password) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            final long millis = (System.nanoTime() - start) / 1_000_000;
            return new Answer(Integer.parseInt(head.substring(9, 12)), millis);
        } catch (final IOException e) {
            throw new AssertionError(e);
        }
    }
}
