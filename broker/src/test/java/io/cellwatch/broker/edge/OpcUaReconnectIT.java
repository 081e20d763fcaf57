package io.cellwatch.broker.edge;

import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.opcua.OpcUaSource;
import io.cellwatch.edge.source.SourceHealth;
import io.cellwatch.testing.opcua.TestPlc;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A PLC (a real Milo server, {@link TestPlc}) goes away and comes back on the same port: the gateway reconnects on
 * its own documented backoff (0.5 s doubling to 30 s), counts the failed attempts and names their cause meanwhile.
 */
@Timeout(200)
class OpcUaReconnectIT {

    private static final String CELL = "tenants/acme/plants/p1/racks/r1/cells/1/";

    @TempDir
    Path dir;

    private TestPlc plc;

    @BeforeEach
    void startPlc() throws Exception {
        plc = new TestPlc(dir).variable(1001, "Voltage", Identifiers.Double, 3.5).start();
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,,
                """);
    }

    @AfterEach
    void stopPlc() throws Exception {
        plc.close();
    }

    @Test
    void afterAShortOutageTheSourceIsBackWithinTwoSecondsOfTheServerListeningWithFailuresCountedAndTheirCause()
            throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(GatewayFiles.write(dir,
                    serverConfig.mqttPort(), """
                            [source plc]
                            type = opcua
                            endpoint = %s
                            node-map = nodes.csv
                            sampling-interval = 50ms
                            publishing-interval = 100ms
                            """.formatted(plc.endpoint()))), Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> api.latest(CELL + "voltage") != null);
                final OpcUaSource source = (OpcUaSource) gateway.sources().get(0);

                plc.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> source.health().counters()
                        .getOrDefault("connect-failures", 0L) >= 2);
                final SourceHealth down = source.health();
                assertThat(down.state()).isEqualTo("reconnecting");
                assertThat(down.detail()).as(down.line()).contains("session lost", "refused");

                plc.start();
                final long listening = System.nanoTime();
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> source.health().up());
                final long backMs = (System.nanoTime() - listening) / 1_000_000;
                assertThat(backMs).isLessThanOrEqualTo(2000);
                assertThat(source.health().counters().get("reconnects")).isEqualTo(1L);

                plc.set(1001, 3.75, System.currentTimeMillis());
                await().atMost(Duration.ofSeconds(10)).until(() -> Double.valueOf(3.75)
                        .equals(api.latest(CELL + "voltage")));
            }
        }
    }
}
