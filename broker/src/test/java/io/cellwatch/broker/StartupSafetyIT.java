package io.cellwatch.broker;

import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No MQTT CONNECT is ever accepted without the authenticator in place: clients hammer the MQTT port with CONNECTs
 * that lack credentials while the server starts — with good access files, with broken ones, and with an extension
 * that fails after HiveMQ has started — and not one is let in. Broken files and taken ports are refused before
 * HiveMQ starts, naming the file and line or the port.
 */
@Timeout(120)
class StartupSafetyIT {

    @TempDir
    Path dir;

    @Test
    void goodFilesAdmitNoAnonymousConnectDuringStartup() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final Hammer hammer = Hammer.start(config.mqttPort());
        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            hammer.stopAfterAttempts(20);
        }
        assertThat(hammer.admitted()).isZero();
        assertThat(hammer.answered()).as("CONNACKs read after start").isPositive();
    }

    @Test
    void brokenAccessFilesFailBeforeAnyListenerAndNameTheLine() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        Files.writeString(dir.resolve("conf").resolve("acl"), "tenant acme\ngateways gw-acme-*\nbogus line\n");
        final Hammer hammer = Hammer.start(config.mqttPort());

        assertThatThrownBy(() -> new CellwatchServer(config).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acl:3: unknown keyword 'bogus'");
        hammer.stop();
        assertThat(hammer.admitted()).isZero();
        assertThat(hammer.answered()).as("no listener was ever bound").isZero();
    }

    @Test
    void anExtensionThatFailsAfterHivemqStartedAdmitsNobody() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        // A file where the WAL folder goes: the extension fails to open its storage once HiveMQ runs.
        Files.createDirectories(config.dataDir());
        Files.writeString(config.dataDir().resolve("wal"), "not a folder");
        final Hammer hammer = Hammer.start(config.mqttPort());

        assertThatThrownBy(() -> new CellwatchServer(config).start()).isInstanceOf(IllegalStateException.class);
        hammer.stop();
        assertThat(hammer.admitted()).isZero();
    }

    @Test
    void aTakenHttpPortIsNamedBeforeHivemqStarts() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        try (ServerSocket taken = new ServerSocket(config.extension().httpPort())) {
            assertThatThrownBy(() -> new CellwatchServer(config).start()).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cellwatch: HTTP port " + taken.getLocalPort() + " on ")
                    .hasMessageContaining("http.port");
        }
    }

    /** A thread sending anonymous CONNECTs to a port as fast as it can, counting what comes back. */
    private static final class Hammer {

        private final int port;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger admitted = new AtomicInteger();
        private final Thread thread;

        private Hammer(final int port) {
            this.port = port;
            this.thread = new Thread(this::run, "connect-hammer");
        }

        static Hammer start(final int port) {
            final Hammer hammer = new Hammer(port);
            hammer.thread.start();
            return hammer;
        }

        private void run() {
            int n = 0;
            while (running.get()) {
                try {
                    final int code = RawMqtt5Connection.connackCode(port, "hammer-" + n++, null);
                    answered.incrementAndGet();
                    if (code == 0) {
                        admitted.incrementAndGet();
                    }
                } catch (final IOException notListening) {
                    LockSupport.parkNanos(1_000_000);
                }
            }
        }

        void stopAfterAttempts(final int more) throws InterruptedException {
            final int target = answered.get() + more;
            final long deadline = System.currentTimeMillis() + 10_000;
            while (answered.get() < target && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            stop();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        int answered() {
            return answered.get();
        }

        int admitted() {
            return admitted.get();
        }
    }
}
