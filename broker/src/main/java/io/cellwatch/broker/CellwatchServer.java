package io.cellwatch.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.migration.meta.PersistenceType;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.extension.CellwatchExtensionMain;
import io.cellwatch.extension.series.SeriesCatalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cellwatch server: an embedded HiveMQ CE broker with the cellwatch extension (which runs the HTTP API) in this
 * JVM. Start and close are idempotent; a start that fails leaves nothing running.
 */
public final class CellwatchServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CellwatchServer.class);
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final Duration SHUTDOWN_NOTICE_TIMEOUT = Duration.ofSeconds(3);

    private final ServerConfig config;
    private final CellwatchExtensionMain extension;
    private EmbeddedHiveMQ hivemq;

    public CellwatchServer(final ServerConfig config) {
        this.config = config;
        this.extension = new CellwatchExtensionMain(config.extension());
    }

    /**
     * Starts broker and extension, and returns once both serve.
     *
     * @throws IllegalStateException if the broker or the extension could not start (an access file is invalid, a
     *                               port is taken), before HiveMQ binds any listener where it can tell
     */
    public synchronized void start() throws IOException {
        if (hivemq != null) {
            return;
        }
        StartupCheck.check(config);
        final Path brokerHome = config.dataDir().toAbsolutePath().resolve("broker");
        final Path brokerConf = brokerHome.resolve("conf");
        final Path extensions = brokerHome.resolve("extensions");
        BrokerConfigWriter.write(config, brokerConf);
        Files.createDirectories(extensions);
        Files.createDirectories(brokerHome.resolve("data"));
        final EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(brokerConf)
                .withDataFolder(brokerHome.resolve("data"))
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("cellwatch")
                        .withName("cellwatch")
                        .withVersion(version())
                        .withAuthor("cellwatch")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(extension)
                        .build())
                // cellwatch owns logging (logback.xml in this jar).
                .withoutLoggingBootstrap()
                .build();
        // build() makes HiveMQ admit every CONNECT while no authenticator is registered; with access control on, a
        // CONNECT that arrives while the extension is missing (it failed, or has not started) is refused instead.
        InternalConfigurations.AUTH_DENY_UNAUTHENTICATED_CONNECTIONS.set(config.extension().auth().enabled());
        // HiveMQ keeps retained messages and payloads in 64 RocksDB buckets each, and RocksDB reserves a write-ahead
        // log sized to its memtable (a share of the machine's RAM) per bucket: close to 1 GB of disk on a 24 GiB host
        // for a few MB of content. The Xodus store HiveMQ uses for sessions grows with content instead; HiveMQ migrates
        // an existing RocksDB store to it at start (docs/operations.md, "Disk").
        InternalConfigurations.RETAINED_MESSAGE_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        InternalConfigurations.PAYLOAD_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        if (config.extension().auth().enabled()) {
            log.info("MQTT clients no authenticator admitted are refused (HiveMQ's embedded default above is overridden)");
        }
        try {
            broker.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            stopQuietly(broker);
            throw new IllegalStateException("the MQTT broker did not start: " + rootMessage(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(broker);
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        }
        if (extension.startFailure().isPresent()) {
            stopQuietly(broker);
            throw new IllegalStateException(extension.startFailure().get());
        }
        hivemq = broker;
    }

    public ServerConfig config() {
        return config;
    }

    /** The running extension (readiness, operations tests). */
    public CellwatchExtensionMain extension() {
        return extension;
    }

    /** The discovered tree of the running extension. */
    public SeriesCatalog catalog() {
        return extension.catalog();
    }

    /** The MQTT port. */
    public int mqttPort() {
        return config.mqttPort();
    }

    /** The HTTPS port actually bound; only when TLS is configured. */
    public int httpsPort() {
        return extension.httpsPort();
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return extension.httpPort();
    }

    @Override
    public synchronized void close() {
        if (hivemq != null) {
            // The probe is a client of this broker: it leaves first, with a clean DISCONNECT. Then every other client
            // is told the server is going away, which HiveMQ's stop would not say.
            extension.stopProbe();
            extension.noticeShutdown(SHUTDOWN_NOTICE_TIMEOUT);
            stopQuietly(hivemq);
            hivemq = null;
        }
    }

    private static void stopQuietly(final EmbeddedHiveMQ broker) {
        try {
            broker.stop().get(30, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final ExecutionException | TimeoutException ignored) {
            // Stopping is best effort; the JVM exit or the next start cleans up.
        }
    }

    private static String rootMessage(final Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static String version() {
        final String version = CellwatchServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
