package io.cellwatch.broker.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestAccess;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.config.SimulatorSettings;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.SimulatorSource;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceType;
import io.cellwatch.edge.source.SourceTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway configured with two cellwatch nodes loses the first mid-backlog and moves to the second: every
 * {@code seq} it produced is stored on one node or the other, none missing, and the second node received everything
 * the gateway had no PUBACK for, in seq order, numbered as before the move.
 *
 * <p>A record may be stored on both nodes: the first node may have stored one whose PUBACK never reached the
 * gateway, which then sends it again to the second. That is expected: the gateway does not dedupe, the Kafka serving
 * side does, by (tenant, user, client id, seq). Within one node the broker's seq check keeps it once.
 */
@Timeout(240)
class GatewayFailoverIT {

    private static final String ACCEPTED = "cellwatch_ingest_publishes_accepted_total";

    @TempDir
    Path dir;

    /** The simulator, publishing only while {@code producing} is set, so the test can end the stream and drain. */
    private static final class StoppableSimulator implements Source {

        private final SimulatorSource simulator;
        private final AtomicBoolean producing;

        StoppableSimulator(final SimulatorSource simulator, final AtomicBoolean producing) {
            this.simulator = simulator;
            this.producing = producing;
        }

        @Override
        public String name() {
            return simulator.name();
        }

        @Override
        public List<NodeReading> poll(final long now) {
            return producing.get() ? simulator.poll(now) : List.of();
        }

        @Override
        public long readErrors() {
            return 0;
        }

        @Override
        public void close() {
            simulator.close();
        }
    }

    @Test
    void aGatewayThatLosesItsBrokerMidBacklogLandsEveryUnacknowledgedSeqOnTheNextInOrder() throws Exception {
        final ServerConfig first = TestServers.config(dir.resolve("node-1"));
        final ServerConfig second = TestServers.config(dir.resolve("node-2"));
        final String firstUrl = "tcp://127.0.0.1:" + first.mqttPort();
        final String secondUrl = "tcp://127.0.0.1:" + second.mqttPort();
        // 64 cells every 100 ms is 640 records/s against a drain of 300/s: the buffer holds a backlog at the move.
        final Path conf = GatewayFiles.write(dir.resolve("gateway"), firstUrl + ", " + secondUrl, """
                publish.drain-rate = 300
                metrics.listen = 127.0.0.1:0

                [source sim]
                type = simulator
                racks = 1
                packs = 4
                cells = 16
                poll-interval = 100ms
                """);
        final AtomicBoolean producing = new AtomicBoolean(true);
        final SourceTypes types = SourceTypes.of(new SourceType<>("simulator", SimulatorSettings.class,
                SimulatorSettings::read, (settings, gateway, clock) -> new StoppableSimulator(
                        new SimulatorSource(settings, gateway.plantNode()), producing)));
        final List<Long> receivedOnSecond = new CopyOnWriteArrayList<>();
        final long lastSeq;

        final CellwatchServer firstNode = new CellwatchServer(first);
        try (CellwatchServer secondNode = new CellwatchServer(second);
             Gateway gateway = new Gateway(types.parse(conf), Clock.systemUTC(), types)) {
            firstNode.start();
            secondNode.start();
            final Mqtt5AsyncClient watcher = watch(secondNode, receivedOnSecond);
            gateway.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> stored(firstNode) >= 600
                    && gateway.buffer().depth() >= 300);
            assertThat(GatewayMetrics.scrape(gateway)).contains(
                    "cellwatch_gateway_broker_connected{url=\"" + firstUrl + "\"} 1.0",
                    "cellwatch_gateway_broker_connected{url=\"" + secondUrl + "\"} 0.0",
                    "cellwatch_gateway_broker_switches_total 0.0");
            assertThat(receivedOnSecond).as("nothing goes to the second node while the first works").isEmpty();

            firstNode.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> receivedOnSecond.size() >= 300);
            producing.set(false);
            await().atMost(Duration.ofSeconds(90)).until(() -> gateway.buffer().depth() == 0
                    && !receivedOnSecond.isEmpty()
                    && receivedOnSecond.get(receivedOnSecond.size() - 1) == gateway.buffer().lastSeq());
            lastSeq = gateway.buffer().lastSeq();
            assertThat(GatewayMetrics.scrape(gateway)).contains(
                    "cellwatch_gateway_broker_connected{url=\"" + firstUrl + "\"} 0.0",
                    "cellwatch_gateway_broker_connected{url=\"" + secondUrl + "\"} 1.0",
                    "cellwatch_gateway_broker_switches_total 1.0");
            watcher.disconnect().get(10, TimeUnit.SECONDS);
        } finally {
            firstNode.close();
        }

        final TreeSet<Long> onFirst = GatewayHistory.seqs(first);
        final TreeSet<Long> onSecond = GatewayHistory.seqs(second);
        final TreeSet<Long> union = new TreeSet<>(onFirst);
        union.addAll(onSecond);
        assertThat(union).as("every seq produced, on one node or the other")
                .containsExactlyElementsOf(LongStream.rangeClosed(0, lastSeq).boxed().toList());
        // The first node's gap-free run from 0 bounds what the gateway can have had acknowledged there.
        long firstMissing = 0;
        while (onFirst.contains(firstMissing)) {
            firstMissing++;
        }
        assertThat(firstMissing).as("the first node stored a run before it stopped").isGreaterThan(0);
        assertThat(onSecond.first()).as("what the first node acknowledged is not sent again")
                .isGreaterThan(0).isLessThanOrEqualTo(firstMissing);
        assertThat(onSecond).as("the second node holds every seq from the first unacknowledged on")
                .containsExactlyElementsOf(LongStream.rangeClosed(onSecond.first(), lastSeq).boxed().toList());
        assertThat(receivedOnSecond).as("the second node received the backlog in seq order, each once")
                .containsExactlyElementsOf(LongStream.rangeClosed(onSecond.first(), lastSeq).boxed().toList());
        GatewayHistory.assertStoredInSeqOrder(second);
    }

    /** Subscribes to the plant's cells on {@code node} as acme's operator; adds each payload's {@code seq} to {@code seqs}. */
    private static Mqtt5AsyncClient watch(final CellwatchServer node, final List<Long> seqs) throws Exception {
        final Mqtt5AsyncClient watcher = MqttClient.builder().useMqttVersion5()
                .identifier(TestAccess.ACME_OPERATOR + "-watcher")
                .serverHost("127.0.0.1").serverPort(node.mqttPort())
                .simpleAuth().username(TestAccess.ACME_OPERATOR)
                .password(TestAccess.password(TestAccess.ACME_OPERATOR).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildAsync();
        watcher.connect().get(10, TimeUnit.SECONDS);
        watcher.subscribeWith().topicFilter("tenants/acme/plants/p1/racks/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> {
                    try {
                        final JsonNode payload = HttpApi.JSON.readTree(publish.getPayloadAsBytes());
                        seqs.add(payload.get("seq").asLong());
                    } catch (final java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).send().get(10, TimeUnit.SECONDS);
        return watcher;
    }

    /** Gateway payloads {@code node} accepted into its pipeline. */
    private static long stored(final CellwatchServer node) throws Exception {
        return (long) new HttpApi(node.httpPort()).metric(ACCEPTED);
    }
}
