package io.cellwatch.edge;

import io.cellwatch.edge.buffer.DiskBuffer;
import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.config.SourceSettings;
import io.cellwatch.edge.health.GatewayCollector;
import io.cellwatch.edge.health.MetricsServer;
import io.cellwatch.edge.publish.Backoff;
import io.cellwatch.edge.publish.BufferSender;
import io.cellwatch.edge.publish.HealthReporter;
import io.cellwatch.edge.publish.MqttLink;
import io.cellwatch.edge.publish.PublishStats;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceTypes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One running gateway: sources polled on their intervals into the disk buffer, the buffer drained over the MQTT
 * link, a health line in the log every minute, and the sources' health reported to the server when it changes
 * ({@link HealthReporter}). Start and close are idempotent.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** The sources' health for {@code status}, in the buffer folder. */
    public static final String STATUS_FILE = "sources.status";
    private static final long STATUS_EVERY_S = 5;
    /** How often the sources' health is compared with the last report sent to the server. */
    private static final long HEALTH_CHECK_MS = 500;

    private final GatewayConfig config;
    private final Clock clock;
    private final SourceTypes types;
    private final List<Source> sources = new ArrayList<>();
    private final PublishStats stats = new PublishStats();
    private DiskBuffer buffer;
    private MqttLink link;
    private BufferSender sender;
    private ScheduledExecutorService pollers;
    private MetricsServer metrics;

    /** A gateway of simulator sources only (the server's {@code --demo}, the benchmarks). */
    public Gateway(final GatewayConfig config, final Clock clock) {
        this(config, clock, SourceTypes.core());
    }

    /** @param types opens each configured source; it must know every type the config was read with */
    public Gateway(final GatewayConfig config, final Clock clock, final SourceTypes types) {
        this.config = config;
        this.clock = clock;
        this.types = types;
    }

    /** Opens the buffer, starts connecting and polling. */
    public synchronized void start() throws Exception {
        if (pollers != null) {
            return;
        }
        buffer = DiskBuffer.open(config.buffer());
        for (final SourceSettings settings : config.sources()) {
            sources.add(types.open(settings, config, clock));
        }
        link = new MqttLink(config, Backoff.forReconnects(config.publish()), stats);
        sender = new BufferSender(buffer, link, config.publish(), stats);
        link.start(config.broker().sessionExpiry().toSeconds());
        sender.start();
        for (final Source source : sources) {
            source.onChange(reading -> {
                try {
                    buffer.append(reading);
                } catch (final RuntimeException e) {
                    log.error("source '{}': buffering a change failed", source.name(), e);
                }
            });
            source.start();
        }
        pollers = Executors.newScheduledThreadPool(Math.max(1, sources.size()), r -> {
            final Thread thread = new Thread(r, "cellwatch-gateway-poll");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < sources.size(); i++) {
            final Source source = sources.get(i);
            final long period = config.sources().get(i).pollInterval().toMillis();
            pollers.scheduleAtFixedRate(() -> poll(source), 0, period, TimeUnit.MILLISECONDS);
        }
        pollers.scheduleAtFixedRate(() -> log.info(health()), 1, 1, TimeUnit.MINUTES);
        pollers.scheduleAtFixedRate(this::writeStatus, 1, STATUS_EVERY_S, TimeUnit.SECONDS);
        final HealthReporter reporter = new HealthReporter(link, config.healthTopic(), this::sources);
        pollers.scheduleAtFixedRate(() -> {
            try {
                reporter.report();
            } catch (final RuntimeException e) {
                log.error("reporting the gateway's health failed", e);
            }
        }, HEALTH_CHECK_MS, HEALTH_CHECK_MS, TimeUnit.MILLISECONDS);
        if (config.metricsAddress() != null) {
            final PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new GatewayCollector(buffer, stats, link::state, this::sources));
            metrics = new MetricsServer(config.metricsAddress(), registry);
            log.info("metrics on http://{}:{}/metrics", config.metricsAddress().getHostString(), metrics.port());
        }
        log.info("gateway {} of tenant {} plant {}: {} sources, buffer {} ({} unsent), broker {}", config.clientId(),
                config.tenant(), config.plant(), sources.size(), config.buffer().dir(), buffer.depth(),
                config.broker());
    }

    private void poll(final Source source) {
        try {
            for (final NodeReading reading : source.poll(clock.millis())) {
                buffer.append(reading);
            }
        } catch (final RuntimeException e) {
            // A defect in one poll must not stop the schedule: the next poll runs.
            log.error("source '{}' poll failed", source.name(), e);
        }
    }

    /** The sources, in config order. */
    public List<Source> sources() {
        return List.copyOf(sources);
    }

    /** The port of {@code /metrics}, or -1 when it is off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** The buffer, for tests and the health line. */
    public DiskBuffer buffer() {
        return buffer;
    }

    public PublishStats stats() {
        return stats;
    }

    public boolean connected() {
        return link != null && link.connected();
    }

    /** One line with every counter. */
    public String health() {
        final StringBuilder line = new StringBuilder("health: buffer depth=").append(buffer.depth())
                .append(" appended=").append(buffer.appended()).append(" dropped=").append(buffer.dropped())
                .append(" bytes=").append(buffer.diskBytes())
                .append(" | mqtt connected=").append(connected()).append(" broker=").append(link.state().url())
                .append(" switches=").append(stats.brokerSwitches()).append(" sent=").append(stats.sent())
                .append(" acked=").append(stats.acked()).append(" refused=").append(stats.refused())
                .append(" failed=").append(stats.failed()).append(" reconnects=").append(stats.reconnects())
                .append(" in-flight=").append(sender.inFlight());
        for (final Source source : sources) {
            line.append(" | source ").append(source.name()).append(' ').append(source.healthLine());
        }
        return line.toString();
    }

    /**
     * Writes {@code buffer.dir/sources.status}: when, then one line per source with its state and counters, for the
     * {@code status} command (which runs in another process). Written to a temporary file and renamed.
     */
    private void writeStatus() {
        writeStatus(false);
    }

    /** @param stopped after a clean stop: the link is closed and each source's line is what it was at the stop */
    private void writeStatus(final boolean stopped) {
        final StringBuilder text = new StringBuilder("written ").append(java.time.Instant.ofEpochMilli(clock.millis()))
                .append(stopped ? " gateway stopped," : "").append(" mqtt connected=").append(connected())
                .append('\n');
        for (final Source source : sources) {
            text.append("source ").append(source.name()).append(": ")
                    .append(stopped ? "stopped (was: " + source.health().line() + ")" : source.health().line())
                    .append('\n');
        }
        final java.nio.file.Path file = config.buffer().dir().resolve(STATUS_FILE);
        final java.nio.file.Path tmp = config.buffer().dir().resolve(STATUS_FILE + ".tmp");
        try {
            java.nio.file.Files.writeString(tmp, text);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (final java.io.IOException | RuntimeException e) {
            log.debug("writing {} failed: {}", file, e.toString());
        }
    }

    /** Stops polling, persists the send position, says offline and closes the buffer. Idempotent. */
    @Override
    public synchronized void close() {
        if (pollers == null) {
            return;
        }
        pollers.shutdownNow();
        try {
            pollers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pollers = null;
        if (metrics != null) {
            metrics.close();
        }
        sender.close();
        link.close();
        // After the link: a status written before would still say connected once the gateway is gone.
        writeStatus(true);
        sources.forEach(Source::close);
        sources.clear();
        buffer.close();
    }
}
