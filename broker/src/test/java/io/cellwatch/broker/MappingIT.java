package io.cellwatch.broker;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.cellwatch.mapping.MappingWatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Foreign devices as users run them today: the real {@code mosquitto_pub} publishes JSON to
 * {@code factory/machine/+/telemetry} as an acme gateway, and conf/mapping.rules puts the samples under acme's tree,
 * in history and live, through the same path as native publishes. Needs the Debian package {@code mosquitto-clients}.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MappingIT {

    /** The exact payload the machines publish. */
    static final String CNC = "{\"machine_id\":\"cnc\",\"temperature\":29.4,\"humidity\":61.0,\"vibration\":0.0314,"
            + "\"timestamp\":\"2026-05-05T10:30:00Z\"}";
    private static final long CNC_TS = Instant.parse("2026-05-05T10:30:00Z").toEpochMilli();
    private static final String CNC_NODE = TestMapping.ACME_MACHINES + "/cnc";
    private static final String LATHE_NODE = TestMapping.ACME_MACHINES + "/lathe-2";

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static LiveClient live;
    static HttpApi admin;

    @BeforeAll
    static void start() throws Exception {
        TestMapping.write(dir.resolve("conf"));
        // The machines' 2026-05-05 samples must outlive the default 30 days of raw history whenever this runs.
        Files.writeString(dir.resolve("conf").resolve("cellwatch.properties"), "history.raw-retention-days = 3650\n");
        server = TestServers.start(dir);
        admin = new HttpApi(server.httpPort());
        live = new LiveClient(server.httpPort());
        live.subscribe("");
        assertThat(live.next(5).path("type").asText()).isEqualTo("snapshot");
    }

    @AfterAll
    static void stop() {
        live.close();
        server.close();
    }

    @Test
    @Order(1)
    void theMachinesPayloadLandsUnderTheMappedTreeInHistoryAndLive() throws Exception {
        assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/cnc/telemetry", CNC)).isZero();

        final Map<String, JsonNode> seen = awaitLive(CNC_NODE + "/temperature", CNC_NODE + "/humidity",
                CNC_NODE + "/vibration");
        assertThat(seen.get(CNC_NODE + "/temperature").path("value").asDouble()).isEqualTo(29.4);
        assertThat(seen.get(CNC_NODE + "/humidity").path("value").asDouble()).isEqualTo(61.0);
        assertThat(seen.get(CNC_NODE + "/vibration").path("value").asDouble()).isEqualTo(0.0314);
        assertThat(seen.values()).allSatisfy(sample -> assertThat(sample.path("ts").asLong()).isEqualTo(CNC_TS));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            final JsonNode points = history(CNC_NODE + "/temperature", "2026-05-05T10:00:00Z", "2026-05-05T11:00:00Z");
            assertThat(points).hasSize(1);
            assertThat(points.get(0).path("value").asDouble()).isEqualTo(29.4);
            assertThat(points.get(0).path("count").asLong()).isEqualTo(1);
        });
        assertThat(history(CNC_NODE + "/vibration", "2026-05-05T10:00:00Z", "2026-05-05T11:00:00Z").get(0)
                .path("value").asDouble()).isEqualTo(0.0314);
    }

    @Test
    @Order(2)
    void withoutMachineIdTheTopicLevelNamesTheMachine() throws Exception {
        assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/lathe-2/telemetry",
                "{\"temperature\":31.5,\"humidity\":40.0,\"vibration\":0.12,\"timestamp\":\"2026-05-05T10:30:00Z\"}"))
                .isZero();

        final Map<String, JsonNode> seen = awaitLive(LATHE_NODE + "/temperature", LATHE_NODE + "/humidity",
                LATHE_NODE + "/vibration");
        assertThat(seen.get(LATHE_NODE + "/temperature").path("value").asDouble()).isEqualTo(31.5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                history(LATHE_NODE + "/humidity", "2026-05-05T10:00:00Z", "2026-05-05T11:00:00Z"))
                .singleElement().satisfies(p -> assertThat(p.path("value").asDouble()).isEqualTo(40.0)));
    }

    @Test
    @Order(3)
    void anEsp32With1970TimeGetsServerTimeAndEveryFieldIsOptional() throws Exception {
        final long before = System.currentTimeMillis();
        assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/esp-7/telemetry",
                "{\"machine_id\":\"esp-7\",\"temperature\":22.5,\"timestamp\":\"1970-01-01T00:00:42Z\"}")).isZero();

        final JsonNode sample = awaitLive(TestMapping.ACME_MACHINES + "/esp-7/temperature")
                .get(TestMapping.ACME_MACHINES + "/esp-7/temperature");
        final long after = System.currentTimeMillis();
        assertThat(sample.path("value").asDouble()).isEqualTo(22.5);
        assertThat(sample.path("ts").asLong()).isBetween(before, after);
        assertThat(admin.metric("cellwatch_mapping_ts_replaced_total")).isEqualTo(1.0);
        assertThat(admin.treePaths()).contains(TestMapping.ACME_MACHINES + "/esp-7")
                .noneMatch(path -> path.contains("humidity"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(history(
                TestMapping.ACME_MACHINES + "/esp-7/temperature", Long.toString(before - 60_000),
                Long.toString(after + 60_000))).singleElement()
                .satisfies(p -> assertThat(p.path("value").asDouble()).isEqualTo(22.5)));
    }

    @Test
    @Order(4)
    void mappedAndUnmappedForeignTopicsStillReachTheirMqttSubscribers() throws Exception {
        final Mqtt5BlockingClient subscriber = Gateways.connect("foreign-listener", server.mqttPort());
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("factory/#").qos(MqttQos.AT_LEAST_ONCE).send();
            final List<String> treeBefore = admin.treePaths();

            assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/cnc/status", "{\"state\":\"idle\"}"))
                    .isZero();
            assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/cnc/telemetry", CNC)).isZero();

            final Optional<Mqtt5Publish> first = publishes.receive(10, TimeUnit.SECONDS);
            final Optional<Mqtt5Publish> second = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(first).get().extracting(p -> p.getTopic().toString()).isEqualTo("factory/machine/cnc/status");
            assertThat(second).get().extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(CNC);
            assertThat(admin.treePaths()).isEqualTo(treeBefore);
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    @Order(5)
    void aBadEditIsLoggedWithItsLineAndTheLastGoodRulesStay() throws Exception {
        final ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        final Logger watcherLog = (Logger) LoggerFactory.getLogger(MappingWatcher.class);
        watcherLog.addAppender(logged);
        try {
            Files.writeString(dir.resolve("conf").resolve("mapping.rules"), """
                    map factory/machine/+/telemetry
                        tenant acme
                        node   plants/factory/machines
                    """);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.metric("cellwatch_mapping_reloads_failed_total") == 1.0);
            assertThat(logged.list).map(ILoggingEvent::getFormattedMessage).anySatisfy(message -> assertThat(message)
                    .contains("mapping.rules:3: node 'plants/factory/machines' has 3 levels"));
        } finally {
            watcherLog.detachAppender(logged);
        }

        assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/mill/telemetry",
                "{\"temperature\":40.5}")).isZero();
        assertThat(awaitLive(TestMapping.ACME_MACHINES + "/mill/temperature")
                .get(TestMapping.ACME_MACHINES + "/mill/temperature").path("value").asDouble()).isEqualTo(40.5);
    }

    @Test
    @Order(6)
    void aBadMappingFileAtStartStopsStartUpNamingTheLine(@TempDir final Path other) throws Exception {
        Files.createDirectories(other.resolve("conf"));
        Files.writeString(other.resolve("conf").resolve("mapping.rules"), "map factory/+/x\n  tenant acme\n  colour red\n");
        final CellwatchServer broken = new CellwatchServer(TestServers.config(other));

        assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mapping.rules:3: unknown keyword 'colour'");
        broken.close();
    }

    @Test
    @Order(7)
    void aBooleanFieldIsAMetricOfOneOrZero() throws Exception {
        final String node = TestMapping.ACME_MACHINES + "/press-3";
        assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/press-3/telemetry",
                "{\"temperature\":24.0,\"humidity\":true,\"vibration\":false}")).isZero();

        final Map<String, JsonNode> seen = awaitLive(node + "/temperature", node + "/humidity", node + "/vibration");
        assertThat(seen.get(node + "/humidity").path("value").asDouble()).isEqualTo(1.0);
        assertThat(seen.get(node + "/vibration").path("value").asDouble()).isEqualTo(0.0);
    }

    @Test
    @Order(8)
    void aNumberTooLargeForADoubleIsSkippedAndTheOtherMetricsStored() throws Exception {
        final String node = TestMapping.ACME_MACHINES + "/press-4";
        assertThat(mosquittoPub(TestAccess.ACME_GATEWAY, "factory/machine/press-4/telemetry",
                "{\"temperature\":1e999,\"vibration\":0.5}")).isZero();

        assertThat(awaitLive(node + "/vibration").get(node + "/vibration").path("value").asDouble()).isEqualTo(0.5);
        assertThat(admin.treePaths()).contains(node).doesNotContain(node + "/temperature");
    }

    /** The newest live sample of each series, waiting until every one has arrived. */
    private static Map<String, JsonNode> awaitLive(final String... series) throws InterruptedException {
        final Map<String, JsonNode> seen = new HashMap<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!seen.keySet().containsAll(List.of(series))) {
            final JsonNode frame = live.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (frame == null) {
                throw new AssertionError("live frames had only " + seen.keySet() + " of " + List.of(series));
            }
            for (final JsonNode sample : frame.path("samples")) {
                seen.put(sample.path("series").asText(), sample);
            }
        }
        return seen;
    }

    private static JsonNode history(final String series, final String from, final String to) throws Exception {
        return admin.getJson("/api/v1/history?series=" + URLEncoder.encode(series, StandardCharsets.UTF_8)
                + "&from=" + from + "&to=" + to + "&points=60").path("series").path(0).path("points");
    }

    private static int mosquittoPub(final String user, final String topic, final String payload)
            throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1",
                "-p", Integer.toString(server.mqttPort()), "-u", user, "-P", TestAccess.password(user),
                "-i", user + "-" + System.nanoTime(), "-q", "1", "-t", topic, "-m", payload));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as("mosquitto_pub said").doesNotContain("rror", "ailed");
        return process.exitValue();
    }
}
