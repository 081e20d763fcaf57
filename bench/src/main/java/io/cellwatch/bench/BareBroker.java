package io.cellwatch.bench;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metric;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.cellwatch.broker.BrokerConfigWriter;
import io.cellwatch.broker.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The embedded HiveMQ CE broker without cellwatch, configured by the same {@code config.xml} cellwatch writes: with no
 * extension at all (the baseline of the ingest ratio) or with {@link NoopInterceptorExtension} (what the interceptor
 * hand-off alone costs). Counts accepted publishes with HiveMQ's own incoming-publish counter.
 */
final class BareBroker implements BrokerUnderTest {

    /** HiveMQ's counter of PUBLISH packets received (every one is accepted: nothing intercepts them). */
    static final String INCOMING_PUBLISHES = "com.hivemq.messages.incoming.publish.count";

    private final String name;
    private final ServerConfig config;
    private final EmbeddedHiveMQ hivemq;

    private BareBroker(final String name, final ServerConfig config, final EmbeddedHiveMQ hivemq) {
        this.name = name;
        this.config = config;
        this.hivemq = hivemq;
    }

    /** Starts a bare broker with {@code config}'s MQTT settings, its files under {@code config.dataDir()}. */
    static BareBroker start(final ServerConfig config) throws Exception {
        return start(IngestScenario.BARE, config, false);
    }

    /** Starts the same broker with a publish inbound interceptor that does nothing on every client. */
    static BareBroker startWithNoopInterceptor(final ServerConfig config) throws Exception {
        return start(IngestScenario.NOOP_INTERCEPTOR, config, true);
    }

    private static BareBroker start(final String name, final ServerConfig config, final boolean noopInterceptor)
            throws Exception {
        final Path home = config.dataDir().toAbsolutePath().resolve("broker");
        BrokerConfigWriter.write(config, home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        final var builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .withoutLoggingBootstrap();
        if (noopInterceptor) {
            builder.withEmbeddedExtension(NoopInterceptorExtension.embedded());
        }
        final EmbeddedHiveMQ hivemq = builder.build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (final Exception e) {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            throw e;
        }
        return new BareBroker(name, config, hivemq);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mqttPort() {
        return config.mqttPort();
    }

    @Override
    public String gatewayPassword() {
        return null;
    }

    @Override
    public long acceptedPublishes() throws IOException {
        final Metric metric = hivemq.getMetricRegistry().getMetrics().get(INCOMING_PUBLISHES);
        if (metric instanceof Counting counting) {
            return counting.getCount();
        }
        throw new IOException("HiveMQ has no counter " + INCOMING_PUBLISHES + " (got " + metric + ")");
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (final Exception ignored) {
            // Best effort; the next variant uses other ports and folders.
        }
    }
}
