package io.cellwatch.broker;

import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.broker.demo.DemoAccess;
import io.cellwatch.broker.demo.DemoFleet;
import io.cellwatch.broker.demo.DemoPlant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --demo} fills the tree with every simulated plant, down to every cell, within 5 s of start-up. */
@RunsAlone
@Timeout(60)
class DemoModeIT {

    @TempDir
    Path dir;

    @Test
    void demoPopulatesEveryPlantAndCellWithinFiveSecondsOfStartup() throws Exception {
        final long started = System.nanoTime();
        final ServerConfig config = TestServers.config(dir).withDemo(true);
        final DemoAccess access = DemoAccess.prepare(dir.resolve("demo-access"), DemoFleet.standardPlants());
        try (CellwatchServer server = new CellwatchServer(config.withExtension(config.extension().withAuth(
                config.extension().auth().withFiles(access.passwordFile(), access.aclFile()))));
             DemoFleet demo = new DemoFleet(DemoFleet.standardPlants(), "127.0.0.1", server.mqttPort(), access,
                     dir.resolve("demo-gateways"))) {
            server.start();
            demo.start();
            final HttpApi api = new HttpApi(server.httpPort(), DemoAccess.ADMIN, access.password(DemoAccess.ADMIN));

            await().atMost(Duration.ofSeconds(5).minusNanos(System.nanoTime() - started))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        for (final DemoPlant plant : demo.plants()) {
                            assertThat(api.snapshot(plant.topic()).path("samples"))
                                    .as("samples of %s", plant.topic())
                                    .hasSize(plant.samplesPerSecond());
                        }
                    });
            assertThat(demo.plants()).hasSize(3).extracting(DemoPlant::tenant).containsOnly("acme", "nordvolt");
            assertThat(api.treePaths()).contains("tenants/acme/plants/p1/racks/r2/packs/k4/cells/16",
                    "tenants/nordvolt/plants/p3/racks/r1/packs/k1/cells/1");
        }
    }
}
