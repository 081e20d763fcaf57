package io.cellwatch.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A WebSocket client that stops reading is coalesced, then closed after its bound; the others never notice. */
@Timeout(120)
class LiveBackpressureIT {

    private static final String SUBTREE = "tenants/t1/plants/flood";
    private static final int SLOW_CLIENT_MILLIS = 2_000;

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static HttpApi api;
    static Mqtt5BlockingClient gateway;

    @BeforeAll
    static void startServer() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/cellwatch.properties"), String.join("\n",
                "live.slow-client-millis = " + SLOW_CLIENT_MILLIS,
                "live.frames-in-flight = 2", ""));
        server = TestServers.start(dir);
        api = new HttpApi(server.httpPort());
        gateway = Gateways.connect("gw-flood", server.config().mqttPort());
    }

    @AfterAll
    static void stopServer() {
        gateway.disconnect();
        server.close();
    }

    /** A node payload of 50 metrics with long names: a few KiB per frame, so a stalled socket fills fast. */
    private static String nodePayload(final long value) {
        final StringBuilder json = new StringBuilder("{");
        for (int m = 0; m < 50; m++) {
            json.append(m == 0 ? "" : ",").append("\"cell_string_voltage_sensor_channel_").append(m).append("\":")
                    .append(value);
        }
        return json.append('}').toString();
    }

    private static boolean drainUntil(final LiveClient client, final String series, final double value)
            throws InterruptedException {
        JsonNode frame;
        while ((frame = client.poll(0)) != null) {
            for (final JsonNode sample : frame.path("samples")) {
                if (sample.path("series").asText().equals(series) && sample.path("value").asDouble() == value) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void stalledClientIsClosedWith1013AfterItsBoundWhileAReadingClientKeepsReceiving() throws Exception {
        final double closedBefore = api.metric("cellwatch_live_clients_closed_slow_total");
        final double coalescedBefore = api.metric("cellwatch_live_frames_coalesced_total");
        try (LiveClient stalled = new LiveClient(server.httpPort());
             LiveClient reading = new LiveClient(server.httpPort())) {
            stalled.subscribe(SUBTREE);
            reading.subscribe(SUBTREE);
            assertThat(stalled.next(5).path("type").asText()).isEqualTo("snapshot");
            assertThat(reading.next(5).path("type").asText()).isEqualTo("snapshot");
            stalled.stopReading();

            final AtomicBoolean flooding = new AtomicBoolean(true);
            final Mqtt5BlockingClient flooder = Gateways.connect("gw-flooder", server.config().mqttPort());
            final Thread flood = new Thread(() -> {
                for (long i = 1; flooding.get(); i++) {
                    Gateways.publish(flooder, SUBTREE + "/racks/r" + (i % 20), nodePayload(i));
                }
            }, "flood");
            flood.start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    while (reading.poll(0) != null) {
                        // The reading client keeps up; what it got is checked below with a marker.
                    }
                    return api.metric("cellwatch_live_clients_closed_slow_total") > closedBefore;
                });
            } finally {
                flooding.set(false);
                flood.join();
                flooder.disconnect();
            }

            final String marker = SUBTREE + "/racks/marker/value";
            Gateways.publish(gateway, marker, "42");
            await().atMost(Duration.ofSeconds(10)).until(() -> drainUntil(reading, marker, 42.0));

            assertThat(reading.closedByServer()).isNotDone();
            assertThat(api.metric("cellwatch_live_clients_closed_slow_total")).isEqualTo(closedBefore + 1);
            assertThat(api.metric("cellwatch_live_frames_coalesced_total")).isGreaterThan(coalescedBefore);
            stalled.resumeReading();
            assertThat(stalled.closedByServer().get(10, TimeUnit.SECONDS)).isEqualTo(1013);
        }
    }
}
