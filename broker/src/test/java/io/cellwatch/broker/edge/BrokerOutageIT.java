package io.cellwatch.broker.edge;

import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker is stopped for at least 30 s while the gateway keeps polling into its disk buffer, then restarted on
 * the same data: the backlog drains, and history holds every sample exactly once, in order per series.
 */
@Timeout(300)
class BrokerOutageIT {

    private static final int CELLS = 4;
    private static final int POLLS_PER_SECOND = 10;

    @TempDir
    Path dir;

    @Test
    void everySampleBufferedDuringA30SecondOutageReachesHistoryOnceAndInOrder() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final Path conf = GatewayFiles.write(dir, serverConfig.mqttPort(), """
                [source sim]
                type = simulator
                racks = 1
                packs = 1
                cells = %d
                poll-interval = %dms
                """.formatted(CELLS, 1000 / POLLS_PER_SECOND));
        final Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(), GatewaySources.all());
        long appendedAtRestart;
        try {
            try (CellwatchServer server = new CellwatchServer(serverConfig)) {
                server.start();
                gateway.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.stats().acked() >= 40);
            }
            final long stopped = System.nanoTime();
            final long depthAtStop = gateway.buffer().depth();
            // The outage lasts until the gateway has buffered 30 s of polls: it kept polling all along.
            // Each poll is a record per cell and one for the pack.
            final long thirtySecondsOfPolls = 30L * POLLS_PER_SECOND * (CELLS + 1);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.buffer().depth() >= depthAtStop + thirtySecondsOfPolls);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isGreaterThanOrEqualTo(Duration.ofSeconds(29));
            assertThat(gateway.connected()).isFalse();

            try (CellwatchServer server = new CellwatchServer(serverConfig)) {
                server.start();
                appendedAtRestart = gateway.buffer().appended();
                await().atMost(Duration.ofSeconds(60)).until(() -> gateway.buffer().depth() <= CELLS + 1
                        && gateway.stats().acked() >= appendedAtRestart);
                assertThat(gateway.stats().reconnects()).isGreaterThanOrEqualTo(1);
                gateway.close();
            }
        } finally {
            gateway.close();
        }

        GatewayHistory.assertEverySampleOnceAndInOrder(serverConfig, appendedAtRestart);
    }

    @Test
    void aGatewayStartedBeforeTheBrokerBuffersAndConnectsWhenTheBrokerComesUp() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final Path conf = GatewayFiles.write(dir, serverConfig.mqttPort(), """
                metrics.listen = 127.0.0.1:0

                [source sim]
                type = simulator
                racks = 1
                packs = 1
                cells = %d
                poll-interval = %dms
                """.formatted(CELLS, 1000 / POLLS_PER_SECOND));
        try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(), GatewaySources.all())) {
            gateway.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.buffer().depth() >= 10L * CELLS);
            assertThat(gateway.stats().acked()).isZero();
            final long buffered = gateway.buffer().appended();
            assertThat(GatewayMetrics.scrape(gateway)).contains("cellwatch_gateway_connected 0.0",
                    "cellwatch_gateway_read_errors_total{source=\"sim\"} 0.0")
                    .containsPattern("cellwatch_gateway_buffer_depth [1-9]");

            try (CellwatchServer server = new CellwatchServer(serverConfig)) {
                server.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.stats().acked() >= buffered);
                assertThat(gateway.connected()).isTrue();
                assertThat(GatewayMetrics.scrape(gateway)).contains("cellwatch_gateway_connected 1.0")
                        .containsPattern("cellwatch_gateway_acked_total [1-9]");
            }
        }
    }
}
