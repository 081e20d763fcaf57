package io.cellwatch.dropin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.cellwatch.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The packaged extension in a plain embedded HiveMQ CE: the zip Maven built is unpacked into the broker's
 * {@code extensions/} folder and HiveMQ loads it from there, in its own class loader; no cellwatch class is on this
 * test's class path. Then the telemetry round trip: an MQTT publish reaches history (REST) and the live WebSocket.
 */
@Timeout(180)
class DropInIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CELL = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1";
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String GATEWAY_PASSWORD = "gateway-secret";

    @TempDir
    static Path dir;
    static EmbeddedHiveMQ hivemq;
    static Path extension;
    static int mqttPort;
    static int httpPort;

    @BeforeAll
    static void startPlainHivemqWithTheExtensionFolder() throws Exception {
        extension = PlainHivemq.unpackExtension(dir);
        final Path conf = extension.resolve("conf");
        final int[] ports = FreePorts.distinct(2);
        httpPort = ports[0];
        mqttPort = ports[1];
        Files.writeString(conf.resolve("cellwatch.properties"), "http.host = 127.0.0.1\nhttp.port = " + httpPort + "\n");
        // The password file is made with the tool inside the extension jar, as docs/interop.md tells admins to.
        passwd("-c", "-b", conf.resolve("passwd").toString(), "admin", ADMIN_PASSWORD);
        passwd("-b", conf.resolve("passwd").toString(), "gw-acme-1", GATEWAY_PASSWORD);
        Files.writeString(conf.resolve("acl"), "admin admin\ntenant acme\ngateways gw-acme-*\n");

        hivemq = PlainHivemq.build(dir, mqttPort);
        hivemq.start().get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get("/api/v1/me").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hivemq != null) {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
        }
    }

    @Test
    void noCellwatchClassIsOnTheTestClassPath() {
        assertThatThrownBy(() -> Class.forName("io.cellwatch.extension.CellwatchExtensionMain"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(Files.exists(extension.resolve("hivemq-extension.xml"))).isTrue();
        assertThat(Files.exists(extension.resolve("cellwatch-extension.jar"))).isTrue();
    }

    @Test
    void aPublishReachesHistoryAndTheLiveWebSocket() throws Exception {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", basic("admin", ADMIN_PASSWORD))
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/live"), new Collector(frames))
                .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"op\":\"subscribe\",\"path\":\"\"}", true).get(5, TimeUnit.SECONDS);
        final JsonNode first = frames.poll(10, TimeUnit.SECONDS);
        assertThat(first).as("the snapshot frame").isNotNull();
        assertThat(first.path("type").asText()).isEqualTo("snapshot");

        final Mqtt5BlockingClient gateway = MqttClient.builder().useMqttVersion5().identifier("gw-acme-1")
                .serverHost("127.0.0.1").serverPort(mqttPort)
                .simpleAuth().username("gw-acme-1").password(GATEWAY_PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        gateway.connect();
        gateway.publishWith().topic(CELL).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"voltage\":3.71,\"temperature\":25.5}".getBytes(StandardCharsets.UTF_8)).send();
        gateway.disconnect();

        JsonNode voltage = null;
        while (voltage == null) {
            final JsonNode frame = frames.poll(15, TimeUnit.SECONDS);
            assertThat(frame).as("a live delta with the cell's voltage").isNotNull();
            // Delta samples are [key relative to the frame's path, value, ts]; the admin's "" watches everything.
            for (final JsonNode sample : frame.path("samples")) {
                if (sample.path(0).asText().equals(CELL + "/voltage")) {
                    voltage = sample;
                }
            }
        }
        assertThat(voltage.path(1).asDouble()).isEqualTo(3.71);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            final JsonNode history = JSON.readTree(get("/api/v1/history?series="
                    + URLEncoder.encode(CELL + "/temperature", StandardCharsets.UTF_8)).body());
            assertThat(history.path("series").path(0).path("points")).singleElement()
                    .satisfies(point -> assertThat(point.path("value").asDouble()).isEqualTo(25.5));
        });
        // Storage lives in the extension's folder, not in the broker's working folder.
        assertThat(Files.isDirectory(extension.resolve("data").resolve("wal"))).isTrue();
    }

    @Test
    void theExtensionsAuthenticatorGuardsTheStockBroker() {
        final Mqtt5BlockingClient stranger = MqttClient.builder().useMqttVersion5().identifier("stranger")
                .serverHost("127.0.0.1").serverPort(mqttPort)
                .simpleAuth().username("gw-acme-1").password("wrong".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        assertThatThrownBy(stranger::connect).isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void theSyntheticProbeGoesThroughTheStockBrokerWithTheClientShippedInTheJar() throws Exception {
        // The test's own MQTT client is on the class path; a stock HiveMQ has none, so the jar must bring its own.
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(
                extension.resolve("cellwatch-extension.jar").toFile())) {
            assertThat(jar.getEntry("com/hivemq/client/mqtt/MqttClient.class")).isNotNull();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            final String metrics = get("/metrics").body();
            assertThat(metrics).containsPattern("(?m)^cellwatch_probe_history_seconds_count [1-9]");
            final JsonNode ready = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/readyz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(ready.path("checks").path("probe").asText()).isEqualTo("ok");
        });
    }

    private static HttpResponse<String> get(final String pathAndQuery) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + pathAndQuery)).header("Authorization", basic("admin", ADMIN_PASSWORD))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(final String user, final String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void passwd(final String... args) throws Exception {
        final String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = extension.resolve("cellwatch-extension.jar").toString();
        System.arraycopy(args, 0, command, 3, args.length);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Queues every text frame, parsed. */
    private record Collector(BlockingQueue<JsonNode> frames) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
            // Frames here are small; the server sends each whole.
            try {
                frames.add(JSON.readTree(data.toString()));
            } catch (final IOException e) {
                throw new IllegalStateException("frame is not JSON: " + data, e);
            }
            ws.request(1);
            return null;
        }
    }
}
