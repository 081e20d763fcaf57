package io.cellwatch.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import org.HdrHistogram.Recorder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator: one real MQTT 5 connection (HiveMQ MQTT client, async) per gateway, each driven by its own
 * thread with at most {@link LoadShape#window} publishes in flight. Runs flat out or paced; counts what the client got
 * back (PUBACK for QoS 1, written for QoS 0). What the broker accepted is read on the broker side by the caller.
 * One run at a time; not thread-safe.
 */
final class MqttLoad implements AutoCloseable {

    /** Stamps publishes for the latency probe: ordinal in every value, send time noted just before the send. */
    interface Probe {
        long nextOrdinal();

        void sending(long ordinal, long nanos);
    }

    /** What the client saw of one run. */
    record Run(double seconds, long sent, long completed, long failed, int samplesPerPublish) {

        double sentSamplesPerSecond() {
            return sent * samplesPerPublish / seconds;
        }

        double completedSamplesPerSecond() {
            return completed * samplesPerPublish / seconds;
        }
    }

    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final long TICK_NANOS = 10_000_000;

    private final List<Connection> connections;
    private LoadShape shape;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile Probe probe;
    private volatile Recorder ackMicros;

    private MqttLoad(final LoadShape shape, final List<Connection> connections) {
        this.shape = shape;
        this.connections = connections;
    }

    /**
     * Connects every gateway of {@code shape} to {@code 127.0.0.1:port}.
     *
     * @param password the gateways' password, or {@code null} to connect without credentials
     */
    static MqttLoad connect(final LoadShape shape, final int port, final String password) throws Exception {
        return connect(shape, port, password, 1);
    }

    /**
     * As {@link #connect(LoadShape, int, String)}, the gateways' {@code seq} starting at {@code firstSeq}: a later load
     * generator against the same server must start above every earlier one, or the server drops its publishes as
     * gateway retries.
     */
    static MqttLoad connect(final LoadShape shape, final int port, final String password, final long firstSeq)
            throws Exception {
        final List<Connection> connections = new ArrayList<>();
        for (int g = 0; g < shape.gateways(); g++) {
            final Connection connection = new Connection(g, shape, connectOne(LoadShape.clientId(g), port, password));
            connection.seq = firstSeq;
            connections.add(connection);
        }
        return new MqttLoad(shape, connections);
    }

    /** One connection attempt; fails the future if the broker refuses it. */
    static Mqtt5AsyncClient connectOne(final String clientId, final int port, final String password)
            throws Exception {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(port);
        if (password != null) {
            builder = builder.simpleAuth().username(clientId).password(password.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        final Mqtt5AsyncClient client = builder.buildAsync();
        client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
        return client;
    }

    LoadShape shape() {
        return shape;
    }

    /** The QoS of the following runs; the connections (and their gateway {@code seq}) stay. */
    void qos(final int qos) {
        shape = shape.withQos(qos);
    }

    /** Stamps every publish of the following runs for {@code p} (or nobody, for {@code null}). */
    void probe(final Probe p) {
        probe = p;
    }

    /** Records publish → completion (PUBACK for QoS 1) of every publish of the following runs, in µs. */
    void ackLatency(final Recorder recorder) {
        ackMicros = recorder;
    }

    /** Publishes as fast as the windows allow for {@code seconds}, then waits for everything in flight. */
    Run flatOut(final double seconds) throws InterruptedException {
        return run(seconds, 0);
    }

    /** Publishes {@code samplesPerSecond} evenly over all gateways for {@code seconds}, then drains. */
    Run paced(final double samplesPerSecond, final double seconds) throws InterruptedException {
        return run(seconds, samplesPerSecond / shape.payload().samples() / shape.gateways());
    }

    private Run run(final double seconds, final double publishesPerSecondPerGateway) throws InterruptedException {
        final long completedBefore = completed.sum();
        final long failedBefore = failed.sum();
        final long start = System.nanoTime();
        final long end = start + (long) (seconds * 1e9);
        final AtomicLong sent = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (final Connection connection : connections) {
            final Thread thread = new Thread(() -> sent.addAndGet(drive(connection, start, end,
                    publishesPerSecondPerGateway)), "bench-" + LoadShape.clientId(connection.gateway));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        for (final Connection connection : connections) {
            // Every permit back = nothing in flight: the run's publishes are all answered (or failed).
            if (!connection.window.tryAcquire(shape.window(), DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(LoadShape.clientId(connection.gateway) + ": publishes still in flight "
                        + DRAIN + " after the run");
            }
            connection.window.release(shape.window());
        }
        final double runSeconds = (System.nanoTime() - start) / 1e9;
        return new Run(runSeconds, sent.get(), completed.sum() - completedBefore, failed.sum() - failedBefore,
                shape.payload().samples());
    }

    private long drive(final Connection connection, final long start, final long end, final double perSecond) {
        long sent = 0;
        try {
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                if (perSecond > 0) {
                    // Publishes fall due evenly and go out on a 10 ms tick, whatever is due at once, like a gateway's
                    // scan cycle: waking per publish (or polling) cost the client JVM more than its publishes did.
                    final long due = (long) ((now - start) / 1e9 * perSecond);
                    if (sent >= due) {
                        LockSupport.parkNanos(TICK_NANOS - (now - start) % TICK_NANOS);
                        continue;
                    }
                }
                if (!connection.window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                publish(connection);
                sent++;
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sent;
    }

    private void publish(final Connection connection) {
        final Probe p = probe;
        final long seq = connection.seq++;
        final long ordinal = p == null ? -1 : p.nextOrdinal();
        final int cell = (int) (seq % shape.cells()) + 1;
        final String topic;
        final String payload;
        if (shape.payload() == LoadShape.Payload.NODE) {
            topic = connection.cellTopics[cell - 1];
            payload = PayloadWriter.node(PackFleet.METRICS, ordinal >= 0
                    ? new double[]{ordinal, ordinal, ordinal}
                    : new double[]{3.5 + (seq % 200) * 0.001, 25 + (seq % 50) * 0.1, 0.5 + (seq % 400) * 0.001},
                    ParsedPayload.NO_TS, seq);
        } else {
            topic = connection.metricTopics[cell - 1][(int) ((seq / shape.cells()) % 3)];
            payload = PayloadWriter.metric(ordinal >= 0 ? ordinal : 3.5 + (seq % 200) * 0.001, ParsedPayload.NO_TS, seq);
        }
        final Recorder acks = ackMicros;
        final long sending = System.nanoTime();
        if (p != null) {
            p.sending(ordinal, sending);
        }
        final CompletableFuture<Mqtt5PublishResult> future;
        try {
            future = connection.client.publishWith().topic(topic).qos(shape.mqttQos())
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        } catch (final RuntimeException e) {
            failed.increment();
            connection.window.release();
            return;
        }
        future.whenComplete((result, error) -> {
            connection.window.release();
            if (error != null || result.getError().isPresent() || refused(result)) {
                failed.increment();
            } else {
                completed.increment();
                if (acks != null) {
                    acks.recordValue(Math.max(0, (System.nanoTime() - sending) / 1_000));
                }
            }
        });
    }

    private static boolean refused(final Mqtt5PublishResult result) {
        return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1 && qos1.getPubAck().getReasonCode().isError();
    }

    @Override
    public void close() {
        for (final Connection connection : connections) {
            try {
                connection.client.disconnect().get(10, TimeUnit.SECONDS);
            } catch (final Exception ignored) {
                // The broker is stopped next anyway.
            }
        }
    }

    /** One gateway's connection; {@code seq} is touched by its driving thread only. */
    private static final class Connection {
        private final int gateway;
        private final String[] cellTopics;
        private final String[][] metricTopics;
        private final Mqtt5AsyncClient client;
        private final Semaphore window;
        private long seq = 1;

        Connection(final int gateway, final LoadShape shape, final Mqtt5AsyncClient client) {
            this.gateway = gateway;
            // Built once: the load generator's own cost per publish stays what it was before the contract module.
            this.cellTopics = new String[shape.cells()];
            this.metricTopics = new String[shape.cells()][];
            for (int c = 0; c < shape.cells(); c++) {
                final TopicBuilder cell = LoadShape.cellNode(gateway, c + 1);
                cellTopics[c] = cell.node();
                metricTopics[c] = PackFleet.METRICS.stream().map(cell::metric).toArray(String[]::new);
            }
            this.client = client;
            this.window = new Semaphore(shape.window());
        }
    }
}
