package io.cellwatch.broker;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.cellwatch.broker.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What survives a restart of the server on the same data folder. */
@Timeout(120)
class RestartIT {

    private static final String CELL = "tenants/r1/plants/p1/racks/r1/packs/k1/cells/3";

    @TempDir
    Path dir;

    @Test
    void treeAndLatestValuesAreServedRightAfterRestartBeforeAnyNewPublish() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            final Mqtt5BlockingClient gateway = Gateways.connect("gw-restart", config.mqttPort());
            Gateways.publish(gateway, CELL, "{\"voltage\":3.61,\"soc\":0.5,\"seq\":1}");
            Gateways.publish(gateway, CELL, "{\"voltage\":3.64,\"soc\":0.52,\"seq\":2}");
            gateway.disconnect();
            final HttpApi api = new HttpApi(server.httpPort());
            await().atMost(Duration.ofSeconds(2)).until(() -> api.latest(CELL + "/voltage") != null);
        }

        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());

            assertThat(api.treePaths()).contains(CELL);
            assertThat(api.latest(CELL + "/voltage")).isEqualTo(3.64);
            assertThat(api.latest(CELL + "/soc")).isEqualTo(0.52);
        }
    }

    @Test
    void aRetriedSeqIsStoredOnceBeforeAndAfterRestart() throws Exception {
        final ServerConfig config = TestServers.config(dir);
        final String series = CELL + "/temperature";
        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            final Mqtt5BlockingClient gateway = Gateways.connect("gw-dup", config.mqttPort());
            Gateways.publish(gateway, series, "{\"v\":25.0,\"seq\":5}");
            Gateways.publish(gateway, series, "{\"v\":25.0,\"seq\":5}");
            gateway.disconnect();
            final HttpApi api = new HttpApi(server.httpPort());
            await().atMost(Duration.ofSeconds(5)).until(() -> storedCount(api, series) == 1);
            assertThat(api.metric("cellwatch_ingest_duplicates_dropped_total")).isEqualTo(1);
        }

        try (CellwatchServer server = new CellwatchServer(config)) {
            server.start();
            final Mqtt5BlockingClient gateway = Gateways.connect("gw-dup", config.mqttPort());
            Gateways.publish(gateway, series, "{\"v\":25.0,\"seq\":5}");
            Gateways.publish(gateway, series, "{\"v\":26.0,\"seq\":6}");
            gateway.disconnect();
            final HttpApi api = new HttpApi(server.httpPort());

            await().atMost(Duration.ofSeconds(5)).until(() -> storedCount(api, series) == 2);
            assertThat(api.metric("cellwatch_ingest_duplicates_dropped_total")).isEqualTo(1);
            assertThat(api.latest(series)).isEqualTo(26.0);
        }
    }

    /** Samples of {@code series} in the history database over the last day, counted by the history API. */
    static long storedCount(final HttpApi api, final String series) throws Exception {
        final long now = System.currentTimeMillis();
        long count = 0;
        for (final var s : api.getJson("/api/v1/history?series=" + series + "&from=" + (now - 86_400_000L)
                + "&to=" + (now + 60_000) + "&points=1").path("series")) {
            for (final var point : s.path("points")) {
                count += point.path("count").asLong();
            }
        }
        return count;
    }
}
