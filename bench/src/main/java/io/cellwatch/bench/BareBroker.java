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
 * The embedded HiveMQ CE broker with no extension at all, configured by the same {@code config.xml} cellwatch writes:
 * the baseline of the ingest ratio. Counts accepted publishes with HiveMQ's own incoming-publish counter.
 */
final class BareBroker implements BrokerUnderTest {

    /** HiveMQ's counter of PUBLISH packets received (every one is accepted: nothing intercepts them). */
    static final String INCOMING_PUBLISHES = "com.hivemq.messages.incoming.publish.count";

    private final ServerConfig config;
    private final EmbeddedHiveMQ hivemq;

    private BareBroker(final ServerConfig config, final EmbeddedHiveMQ hivemq) {
        this.config = config;
        this.hivemq = hivemq;
    }

    /** Starts a bare broker with {@code config}'s MQTT settings, its files under {@code config.dataDir()}. */
    static BareBroker start(final ServerConfig config) throws Exception {
        final Path home = config.dataDir().toAbsolutePath().resolve("broker");
        BrokerConfigWriter.write(config, home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        final EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (final Exception e) {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            throw e;
        }
        return new BareBroker(config, hivemq);
    }

    @Override
    public String name() {
        return "bare HiveMQ CE (no extension)";
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
