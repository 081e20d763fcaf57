package io.cellwatch.extension.probe;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.cellwatch.contract.PayloadWriter;
import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.extension.health.Readiness;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.live.DeltaFrame;
import io.cellwatch.extension.live.DeltaSample;
import io.cellwatch.extension.live.LiveFanout;
import io.cellwatch.extension.live.LiveSubscriber;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.security.ProbeLogin;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The synthetic end-to-end probe: every interval, a real MQTT client inside the server publishes one sample to
 * {@link TopicBuilder#probe()} over the broker's plain TCP listener, logged in as {@link ProbeLogin}. The sample takes
 * the path of every device sample (telemetry interceptor, WAL, live fan-out, history writer) and the probe times two
 * hops from the publish: until the live fan-out hands it to the probe's own live subscriber, and until DuckDB has it
 * committed. Exported as {@code cellwatch_probe_…} metrics and as the {@code probe} check of {@code /readyz}.
 * <p>
 * One probe at a time on its own thread; a hop not made within the history lag bound counts as lost. The internal
 * tenant it writes is hidden from every user (docs/decisions.md). Close is idempotent.
 */
public final class SyntheticProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyntheticProbe.class);
    private static final String TOPIC = TopicBuilder.probe();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A probe sample in flight: its seq, and when the live fan-out delivered it. */
    private record InFlight(long seq, CompletableFuture<Long> delivered) {
    }

    private final Duration interval;
    private final Duration timeout;
    private final long readyBoundNanos;
    private final ProbeLogin login;
    private final BrokerListener broker;
    private final LiveFanout live;
    private final SeriesCatalog catalog;
    private final HistoryCommits commits;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ProbeMetrics metrics;
    private final LiveSubscriber subscriber = this::delivered;
    private final ScheduledExecutorService thread;
    private final long startedNanos;
    private volatile long lastSuccessNanos;
    private volatile boolean succeeded;
    private volatile boolean noListener;
    private volatile InetSocketAddress address;
    private volatile InFlight inFlight;
    private Mqtt5AsyncClient client;
    private long lastSeq;
    private boolean failing;

    /**
     * @param interval        time between the end of one probe and the start of the next
     * @param historyLagBound how long each hop may take before the probe counts as lost
     * @param readyBound      how long without a probe through every hop before the readiness check fails
     * @param broker          the broker's plain MQTT listener
     */
    SyntheticProbe(final Duration interval, final Duration historyLagBound, final Duration readyBound,
                   final ProbeLogin login, final BrokerListener broker, final LiveFanout live,
                   final SeriesCatalog catalog, final HistoryDatabase history, final Metrics metrics,
                   final Clock clock, final LongSupplier nanoTime) {
        this.interval = interval;
        this.timeout = historyLagBound;
        this.readyBoundNanos = readyBound.toNanos();
        this.login = login;
        this.broker = broker;
        this.live = live;
        this.catalog = catalog;
        this.commits = new HistoryCommits(history);
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.startedNanos = nanoTime.getAsLong();
        this.metrics = new ProbeMetrics(metrics, this::lastSuccessAgeSeconds);
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread t = new Thread(runnable, "cellwatch-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts probing the running HiveMQ every {@code interval}, the first probe as soon as the broker has started.
     *
     * @param historyLagBound how long each hop may take before the probe counts as lost
     * @param readyBound      how long without a probe through every hop before the readiness check fails
     */
    public static SyntheticProbe start(final Duration interval, final Duration historyLagBound,
                                       final Duration readyBound, final ProbeLogin login, final LiveFanout live,
                                       final SeriesCatalog catalog, final HistoryDatabase history,
                                       final Metrics metrics, final Clock clock) {
        final SyntheticProbe probe = new SyntheticProbe(interval, historyLagBound, readyBound, login,
                BrokerListener.hivemq(), live, catalog, history, metrics, clock, System::nanoTime);
        live.execute(() -> live.watch(probe.subscriber, TOPIC));
        // Until the broker listens, check again every 200 ms rather than every interval.
        probe.thread.schedule(probe::firstRound, 200, TimeUnit.MILLISECONDS);
        return probe;
    }

    private void firstRound() {
        if (!broker.started()) {
            thread.schedule(this::firstRound, 200, TimeUnit.MILLISECONDS);
            return;
        }
        final Optional<InetSocketAddress> listener = broker.plainTcp();
        if (listener.isEmpty()) {
            noListener = true;
            log.warn("synthetic probe off: the broker has no plain TCP MQTT listener to publish through");
            return;
        }
        address = listener.get();
        thread.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The {@code probe} check of {@code /readyz}: fails once no probe made every hop within the bound (counted from
     * start until the first one did). Names no tenant.
     */
    public Readiness.Check readiness() {
        return () -> {
            if (noListener) {
                return Optional.empty();
            }
            final long since = nanoTime.getAsLong() - (succeeded ? lastSuccessNanos : startedNanos);
            if (since <= readyBoundNanos) {
                return Optional.empty();
            }
            return Optional.of("no synthetic probe through to live view and history for "
                    + TimeUnit.NANOSECONDS.toSeconds(since) + " s");
        };
    }

    private double lastSuccessAgeSeconds() {
        return Metrics.seconds(succeeded ? lastSuccessNanos : startedNanos, nanoTime.getAsLong());
    }

    /** One probe; runs on the probe thread, never throws (a throw would end the schedule). */
    private void round() {
        try {
            final boolean made = probeOnce();
            if (made && failing) {
                log.info("synthetic probe: samples go through again");
            } else if (!made && !failing) {
                log.warn("synthetic probe: a sample did not make it through (cellwatch_probe_lost_total says where)");
            }
            failing = !made;
        } catch (final RuntimeException e) {
            log.error("synthetic probe failed", e);
        }
    }

    private boolean probeOnce() {
        if (!connected()) {
            metrics.lost(ProbeMetrics.Hop.PUBLISH);
            return false;
        }
        final long now = clock.millis();
        // Above every seq before, even across a restart (the retry guard keeps the highest one per gateway).
        final long seq = Math.max(lastSeq + 1, now);
        lastSeq = seq;
        final InFlight probe = new InFlight(seq, new CompletableFuture<>());
        inFlight = probe;
        final long start = nanoTime.getAsLong();
        final byte[] payload = PayloadWriter.metric(seq % 1_000_000, now, seq).getBytes(StandardCharsets.UTF_8);
        metrics.sent();
        if (!published(payload)) {
            metrics.lost(ProbeMetrics.Hop.PUBLISH);
            return false;
        }
        final boolean live = awaitLive(probe, start);
        final boolean history = awaitHistory(seq, start);
        if (live && history) {
            lastSuccessNanos = nanoTime.getAsLong();
            succeeded = true;
        }
        return live && history;
    }

    private boolean connected() {
        if (client != null && client.getState().isConnected()) {
            return true;
        }
        if (client == null) {
            client = MqttClient.builder().useMqttVersion5().identifier(ProbeLogin.CLIENT_ID)
                    .serverHost(address.getHostString()).serverPort(address.getPort())
                    .simpleAuth().username(ProbeLogin.USER).password(login.password()).applySimpleAuth()
                    .buildAsync();
        }
        try {
            client.connectWith().cleanStart(true).sessionExpiryInterval(0).send()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (final ExecutionException | TimeoutException e) {
            log.debug("synthetic probe could not connect", e);
            client.disconnect();
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean published(final byte[] payload) {
        try {
            final Mqtt5PublishResult result = client.publishWith().topic(TOPIC).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload).send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (result.getError().isPresent()) {
                return false;
            }
            return !(result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1)
                    || !qos1.getPubAck().getReasonCode().isError();
        } catch (final ExecutionException | TimeoutException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean awaitLive(final InFlight probe, final long start) {
        try {
            final long at = probe.delivered().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            metrics.live(Metrics.seconds(start, at));
            return true;
        } catch (final ExecutionException | TimeoutException e) {
            metrics.lost(ProbeMetrics.Hop.LIVE);
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean awaitHistory(final long seq, final long start) {
        final long deadline = start + timeout.toNanos();
        while (nanoTime.getAsLong() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            final Series series = catalog.series(TOPIC);
            try {
                if (series != null && commits.committedSeq(series.id()) >= seq) {
                    metrics.history(Metrics.seconds(start, nanoTime.getAsLong()));
                    return true;
                }
            } catch (final SQLException e) {
                log.debug("synthetic probe could not read the history database", e);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        metrics.lost(ProbeMetrics.Hop.HISTORY);
        return false;
    }

    /** On the fan-out thread: a frame for the probe topic completes the probe in flight once it carries its seq. */
    private void delivered(final DeltaFrame frame) {
        final InFlight probe = inFlight;
        if (probe == null) {
            return;
        }
        for (final DeltaSample sample : frame.samples()) {
            final Series series = sample.series();
            if (series.latest() != null && series.latest().seq() >= probe.seq()) {
                probe.delivered().complete(nanoTime.getAsLong());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (thread.isShutdown()) {
            return;
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live.execute(() -> live.unwatchAll(subscriber));
        if (client != null && client.getState().isConnected()) {
            // A clean DISCONNECT before the broker goes down: no probe connection left for its shutdown to wait on.
            try {
                client.disconnect().get(2, TimeUnit.SECONDS);
            } catch (final ExecutionException | TimeoutException e) {
                log.debug("synthetic probe did not disconnect cleanly", e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        commits.close();
    }
}
