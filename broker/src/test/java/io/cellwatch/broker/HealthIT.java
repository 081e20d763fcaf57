package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /healthz} and {@code /readyz} without login, through start-up, a stopped history writer and shutdown. */
@Timeout(120)
class HealthIT {

    /** What a poll saw: an HTTP status, or -1 when nothing listened. */
    private record Seen(int status, String body, boolean mqttAccepting) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Seen poll(final int httpPort, final String path, final int mqttPort) {
        try {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Seen(response.statusCode(), response.body(), accepting(mqttPort));
        } catch (final ConnectException e) {
            return new Seen(-1, "", accepting(mqttPort));
        } catch (final IOException e) {
            return new Seen(-2, e.toString(), accepting(mqttPort));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepting(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    @Test
    void readyOnlyOnceTheBrokerListensAndNotReadyFromShutdownOn(@TempDir final Path dir) throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final int httpPort = config.extension().httpPort();
        final int mqttPort = config.mqttPort();
        final CellwatchServer server = new CellwatchServer(config);
        final CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                server.start();
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
        });
        final List<Seen> duringStart = new ArrayList<>();
        while (!started.isDone()) {
            duringStart.add(poll(httpPort, "/readyz", mqttPort));
        }
        started.join();
        // Whenever start-up said ready, the MQTT listener took connections.
        assertThat(duringStart).filteredOn(seen -> seen.status() == 200)
                .allSatisfy(seen -> assertThat(seen.mqttAccepting()).isTrue());
        assertThat(duringStart).allSatisfy(seen -> assertThat(seen.status()).isIn(-1, 200, 503));

        final Seen ready = poll(httpPort, "/readyz", mqttPort);
        assertThat(ready.status()).isEqualTo(200);
        final JsonNode body = HttpApi.JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("checks").fieldNames()).toIterable()
                .containsExactly("broker", "access", "wal", "history", "quotas", "probe");
        assertThat(body.path("checks")).allSatisfy(check -> assertThat(check.asText()).isEqualTo("ok"));
        assertThat(poll(httpPort, "/healthz", mqttPort).status()).isEqualTo(200);

        final CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
        final List<Seen> duringStop = new ArrayList<>();
        while (!stopped.isDone()) {
            duringStop.add(poll(httpPort, "/readyz", mqttPort));
        }
        stopped.join();
        // Once not ready during shutdown, never ready again; and at the end nothing listens.
        final int firstNotReady = indexOfFirstNotReady(duringStop);
        assertThat(duringStop.subList(firstNotReady, duringStop.size()))
                .allSatisfy(seen -> assertThat(seen.status()).isNotEqualTo(200));
        assertThat(poll(httpPort, "/readyz", mqttPort).status()).isEqualTo(-1);
        assertThat(poll(httpPort, "/healthz", mqttPort).status()).isEqualTo(-1);
    }

    private static int indexOfFirstNotReady(final List<Seen> seen) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).status() != 200) {
                return i;
            }
        }
        return seen.size();
    }

    @Test
    void aStoppedHistoryWriterMakesTheServerNotReadyButStillLive(@TempDir final Path dir) throws Exception {
        try (CellwatchServer server = TestServers.start(dir)) {
            final int httpPort = server.httpPort();
            final Mqtt5BlockingClient gateway = Gateways.connect(TestAccess.ACME_GATEWAY, server.mqttPort(),
                    TestAccess.ACME_GATEWAY);
            Gateways.publish(gateway, "tenants/acme/plants/h1/racks/r1/packs/k1/cells/1/voltage", "3.6");
            assertThat(poll(httpPort, "/readyz", server.mqttPort()).status()).isEqualTo(200);

            server.extension().stopHistoryWriter();
            Gateways.publish(gateway, "tenants/acme/plants/h1/racks/r1/packs/k1/cells/1/voltage", "3.7");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                final Seen seen = poll(httpPort, "/readyz", server.mqttPort());
                assertThat(seen.status()).isEqualTo(503);
                final JsonNode body = HttpApi.JSON.readTree(seen.body());
                assertThat(body.path("status").asText()).isEqualTo("not ready");
                assertThat(body.path("checks").path("history").asText()).isEqualTo("history writer stopped");
                assertThat(body.path("checks").path("broker").asText()).isEqualTo("ok");
                // Public answers: no tenant, user, client id or series in them.
                assertThat(seen.body()).doesNotContain("acme", "gw-", "plants", "tenants");
            });
            final Seen live = poll(httpPort, "/healthz", server.mqttPort());
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body()).contains("live");
            gateway.disconnect();
        }
    }
}
