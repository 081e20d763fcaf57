package io.cellwatch.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.PackPhysics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishes a {@link PackPhysics} pack as its gateway would, one device second after another with device timestamps
 * (time compressed: as fast as the broker acknowledges, up to {@value #IN_FLIGHT} publishes in flight): every cell's
 * voltage, temperature and SoC, and the pack's current, SoC and voltage.
 */
final class PackPublisher implements AutoCloseable {

    /** Publishes sent and not yet acknowledged before the next waits: fast, yet never past the broker's window. */
    private static final int IN_FLIGHT = 256;

    private final Mqtt5AsyncClient client;
    private final TopicBuilder pack;
    private final PackPhysics physics;
    private long seq;

    PackPublisher(final int mqttPort, final String user, final TopicBuilder pack, final PackPhysics physics) {
        this.client = MqttClient.builder().useMqttVersion5()
                .identifier(user + "-pack-" + pack.node().hashCode()).serverHost("127.0.0.1").serverPort(mqttPort)
                .simpleAuth().username(user).password(TestAccess.password(user).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildAsync();
        this.pack = pack;
        this.physics = physics;
        client.connect().join();
    }

    /** Seconds {@code from} to {@code to} of the physics' own stepping profile, second s stamped {@code start + s}. */
    void profile(final long start, final int from, final int to) {
        run(start, from, to, physics::advance);
    }

    /** Seconds {@code from} to {@code to} with the pack current held at {@code amps}. */
    void hold(final long start, final int from, final int to, final double amps) {
        run(start, from, to, second -> physics.drive(amps));
    }

    private void run(final long start, final int from, final int to, final LongToDoubleFunction current) {
        final ArrayDeque<CompletableFuture<Mqtt5PublishResult>> inFlight = new ArrayDeque<>();
        for (int s = from; s < to; s++) {
            final long ts = start + s * 1_000L;
            final double amps = current.applyAsDouble(s);
            double packVolts = 0;
            for (int c = 0; c < physics.cells(); c++) {
                final double volts = physics.cellVolts(c);
                packVolts += volts;
                inFlight.add(publish(pack.child("cells", String.valueOf(c + 1)).node(),
                        PayloadWriter.node(List.of("voltage", "temperature", "soc"),
                                new double[]{volts, physics.cellTemperature(c), physics.cellSoc(c)}, ts, seq++)));
            }
            inFlight.add(publish(pack.node(), PayloadWriter.node(List.of("current", "soc", "voltage"),
                    new double[]{amps, physics.packSoc(), packVolts}, ts, seq++)));
            while (inFlight.size() > IN_FLIGHT) {
                assertThat(inFlight.poll().join().getError()).isEmpty();
            }
        }
        while (!inFlight.isEmpty()) {
            assertThat(inFlight.poll().join().getError()).isEmpty();
        }
    }

    /** Samples the estimators take of one second: each cell's voltage and the pack's three. */
    int routedPerSecond() {
        return physics.cells() + 3;
    }

    private CompletableFuture<Mqtt5PublishResult> publish(final String topic, final String payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    @Override
    public void close() {
        client.disconnect().join();
    }
}
