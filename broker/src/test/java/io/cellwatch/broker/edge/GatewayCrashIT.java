package io.cellwatch.broker.edge;

import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as its own process is SIGKILLed while it drains a backlog, then started again on the same buffer:
 * history holds every sample it had buffered exactly once, in order per series.
 */
@Timeout(300)
class GatewayCrashIT {

    private static final Pattern STATUS = Pattern.compile("unsent=(\\d+) last-seq=(-?\\d+)");

    @TempDir
    Path dir;

    private Process start(final Path conf, final String log) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("gateway.jar"), "run", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private long[] status(final Path conf) throws Exception {
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("gateway.jar"), "status", conf.toString()).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final Matcher m = STATUS.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static long storedPayloads(final CellwatchServer server) throws Exception {
        return (long) new io.cellwatch.broker.HttpApi(server.httpPort())
                .metric("cellwatch_ingest_publishes_accepted_total");
    }

    @Test
    void sigkillMidDrainLosesNothingAndStoresNothingTwice() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        // 64 cells every 100 ms is 640 payloads/s against a drain of 300/s: the buffer always has a backlog.
        final String sources = """
                [source sim]
                type = simulator
                racks = 1
                packs = 4
                cells = 16
                poll-interval = 100ms
                """;
        final Path conf = GatewayFiles.write(dir, serverConfig.mqttPort(), "publish.drain-rate = 300\n" + sources);
        final long lastSeqAtKill;
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final Process first = start(conf, "first.log");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> storedPayloads(server) >= 1000);
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            final long[] atKill = status(conf);
            assertThat(atKill[0]).as("unsent at the kill: it was mid-drain").isGreaterThan(100);
            lastSeqAtKill = atKill[1];

            final Path fast = GatewayFiles.write(dir, serverConfig.mqttPort(), "publish.drain-rate = 20000\n" + sources);
            final Process second = start(fast, "second.log");
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> storedPayloads(server) > lastSeqAtKill + 640);
            } finally {
                second.destroy();
                assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }

        // Everything buffered before the kill: seqs 0..lastSeqAtKill at least.
        GatewayHistory.assertEverySampleOnceAndInOrder(serverConfig, lastSeqAtKill + 1);
        assertThat(Files.readString(dir.resolve("second.log"))).doesNotContain("ERROR");
    }
}
