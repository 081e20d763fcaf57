package io.cellwatch.broker.edge;

import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.opcua.OpcUaSource;
import io.cellwatch.testing.opcua.TestPlc;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A real OPC-UA server (Milo's server SDK, {@link TestPlc}) on loopback with variables of different types, read by
 * the gateway and published into a real embedded cellwatch: monitored items, polling, a bad status, Basic256Sha256
 * with certificates made in the test, a PLC restart. History holds every value once.
 */
@Timeout(400)
class OpcUaToCellwatchIT {

    private static final String CELL = "tenants/acme/plants/p1/racks/r1/cells/1/";
    private static final String RACK = "tenants/acme/plants/p1/racks/r1/";
    /** Device times of the values the tests set: after the variables' initial values, whole seconds. */
    private long t0;

    @TempDir
    Path dir;

    private TestPlc plc;

    @BeforeEach
    void startPlc() throws Exception {
        plc = new TestPlc(dir)
                .variable(1001, "Voltage", Identifiers.Double, 3.5)
                .variable(1002, "Temperature", Identifiers.Float, 250.0f)
                .variable(1003, "Cycles", Identifiers.UInt16, UShort.valueOf(7))
                .variable(1004, "Contactor", Identifiers.Boolean, true)
                .variable(1005, "Current", Identifiers.Int32, -12)
                .variable(1006, "PackCurrent", Identifiers.Float, -25.9f)
                .start();
        Files.writeString(dir.resolve("nodes.csv"), """
                # node,path,metric,scale,offset
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,,
                /2:Battery/2:Temperature,racks/r1/cells/1,temperature,0.1,-5
                ns=2;i=1003,racks/r1,cycles,,
                ns=2;i=1004,racks/r1,contactor,,
                ns=2;i=1005,racks/r1,current,0.5,0
                """);
        t0 = System.currentTimeMillis() / 1000 * 1000 + 1000;
    }

    @AfterEach
    void stopPlc() throws Exception {
        plc.close();
    }

    private Path conf(final int mqttPort, final String extra) throws Exception {
        return GatewayFiles.write(dir, mqttPort, """
                [source plc]
                type = opcua
                endpoint = %s
                node-map = nodes.csv
                sampling-interval = 50ms
                publishing-interval = 100ms
                %s
                """.formatted(plc.endpoint(), extra));
    }

    /** Sets voltage to each of {@code values} (device times t0 + offset + i s) and waits for each in cellwatch. */
    private List<Double> drive(final HttpApi api, final int from, final int count) {
        final List<Double> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            final double v = 3.5 + i / 1000.0;
            plc.set(1001, v, t0 + i * 1000L);
            sent.add(v);
            await().atMost(Duration.ofSeconds(30)).until(() -> Double.valueOf(v).equals(api.latest(CELL + "voltage")));
        }
        return sent;
    }

    private static void drain(final Gateway gateway) {
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.buffer().depth() == 0
                && gateway.stats().acked() >= gateway.buffer().appended());
    }

    @Test
    void monitoredItemUpdatesOfEveryTypeReachHistoryOnceAndABadStatusNever() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final List<Double> expected = new ArrayList<>(List.of(3.5));
        long lastSeq;
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf(serverConfig.mqttPort(), "")),
                    Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> api.latest(RACK + "current") != null
                        && api.latest(CELL + "voltage") != null && api.latest(CELL + "temperature") != null);
                assertThat(api.latest(CELL + "voltage")).isEqualTo(3.5);
                assertThat(api.latest(CELL + "temperature")).isCloseTo(20.0, within(1e-9));
                assertThat(api.latest(RACK + "cycles")).isEqualTo(7.0);
                assertThat(api.latest(RACK + "contactor")).isEqualTo(1.0);
                assertThat(api.latest(RACK + "current")).isEqualTo(-6.0);

                expected.addAll(drive(api, 1, 5));
                plc.setBad(1001, StatusCodes.Bad_SensorFailure);
                final OpcUaSource source = (OpcUaSource) gateway.sources().get(0);
                await().atMost(Duration.ofSeconds(20)).until(() -> source.badStatusByNode().get("ns=2;i=1001") == 1);
                expected.addAll(drive(api, 6, 3));
                drain(gateway);
                assertThat(gateway.health()).contains("source plc ok", "bad-status=1");
                lastSeq = gateway.buffer().lastSeq();
            }
        }
        assertThat(GatewayHistory.values(serverConfig, CELL + "voltage")).containsExactlyElementsOf(expected);
        assertThat(GatewayHistory.times(serverConfig, CELL + "voltage").subList(1, expected.size()))
                .containsExactly(t0 + 1000, t0 + 2000, t0 + 3000, t0 + 4000, t0 + 5000, t0 + 6000, t0 + 7000,
                        t0 + 8000);
        GatewayHistory.assertEveryRecordOnce(serverConfig, lastSeq);
    }

    @Test
    void pollingWithAUserLoginPublishesEachSampleOnce() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final List<Double> expected = new ArrayList<>(List.of(3.5));
        long lastSeq;
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf(serverConfig.mqttPort(), """
                    mode = poll
                    poll-interval = 100ms
                    username = %s
                    password = %s
                    """.formatted(TestPlc.USER, TestPlc.PASSWORD))), Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> api.latest(CELL + "voltage") != null);
                expected.addAll(drive(api, 1, 4));
                drain(gateway);
                // Dozens of polls, one sample per value: a poll that reads the same sample again publishes nothing.
                assertThat(gateway.buffer().appended()).isLessThan(15);
                lastSeq = gateway.buffer().lastSeq();
            }
        }
        assertThat(GatewayHistory.values(serverConfig, CELL + "voltage")).containsExactlyElementsOf(expected);
        GatewayHistory.assertEveryRecordOnce(serverConfig, lastSeq);
    }

    @Test
    void basic256Sha256ConnectsOnceEachSideTrustsTheOthersCertificate() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf(serverConfig.mqttPort(), """
                    security-policy = basic256sha256
                    security-mode = sign-and-encrypt
                    """)), Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                final Path pki = dir.resolve("pki");
                final OpcUaSource source = (OpcUaSource) gateway.sources().get(0);
                // First start: the gateway made its certificate; neither side trusts the other yet. The gateway
                // keeps the PLC's certificate in rejected/ and says what to trust where.
                // Making an RSA key pair took 89 s once on a box at load 12: generous bound.
                await().atMost(Duration.ofSeconds(150)).until(() -> Files.exists(pki.resolve("own/gateway.der"))
                        && source.health().counters().get("connect-failures") >= 1);
                assertThat(source.health().state()).isEqualTo("connecting");
                assertThat(source.health().detail()).contains("pairing needed", pki.resolve("rejected").toString());

                // The PLC's admin adds the gateway's certificate to the PLC's trust list; the gateway still refuses
                // the PLC's certificate, which it keeps in rejected/.
                plc.trust(pki.resolve("own/gateway.der"));
                assertThat(listed(pki.resolve("rejected"))).hasSize(1);
                assertThat(source.health().state()).isEqualTo("connecting");
                assertThat(api.latest(CELL + "voltage")).isNull();

                // The gateway's admin trusts it: moved from rejected/ to trusted/certs/.
                final Path rejected = listed(pki.resolve("rejected")).get(0);
                Files.createDirectories(pki.resolve("trusted/certs"));
                Files.move(rejected, pki.resolve("trusted/certs").resolve(rejected.getFileName()));

                await().atMost(Duration.ofSeconds(90)).until(() -> Double.valueOf(3.5)
                        .equals(api.latest(CELL + "voltage")));
                drive(api, 1, 2);
                assertThat(source.health().state()).isEqualTo("ok");
            }
        }
    }

    @Test
    void aPlcRestartIsRecoveredWithANewSessionAndTheSubscriptionCreatedAgain() throws Exception {
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final List<Double> expected = new ArrayList<>(List.of(3.5));
        long lastSeq;
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf(serverConfig.mqttPort(), "")),
                    Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> api.latest(CELL + "voltage") != null);
                expected.addAll(drive(api, 1, 3));
                final OpcUaSource source = (OpcUaSource) gateway.sources().get(0);

                plc.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> !source.health().up());
                plc.start();
                await().atMost(Duration.ofSeconds(90)).until(() -> source.health().up()
                        && source.health().counters().get("subscriptions-recreated") >= 1);
                expected.addAll(drive(api, 4, 3));
                drain(gateway);
                assertThat(source.health().counters().get("reconnects")).isGreaterThanOrEqualTo(1L);
                lastSeq = gateway.buffer().lastSeq();
            }
        }
        // The re-created monitored items delivered the current values again; they were not published twice.
        assertThat(GatewayHistory.values(serverConfig, CELL + "voltage")).containsExactlyElementsOf(expected);
        assertThat(GatewayHistory.values(serverConfig, RACK + "cycles")).containsExactly(7.0);
        GatewayHistory.assertEveryRecordOnce(serverConfig, lastSeq);
    }

    @Test
    void aFloatArrivesAsItsShortestRoundTripDecimal() throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1006,racks/r1,pack-current,,
                """);
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf(serverConfig.mqttPort(), "")),
                    Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> api.latest(RACK + "pack-current") != null);
                assertThat(api.latest(RACK + "pack-current")).isEqualTo(-25.9);

                plc.set(1006, 0.1f, t0);
                await().atMost(Duration.ofSeconds(30)).until(() -> Double.valueOf(0.1)
                        .equals(api.latest(RACK + "pack-current")));
                drain(gateway);
            }
        }
        assertThat(GatewayHistory.values(serverConfig, RACK + "pack-current")).containsExactly(-25.9, 0.1);
    }

    @Test
    void badStatusIsOneMetricSeriesPerSourceAndStatusNamesTheNodes() throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,,
                ns=2;i=1998,racks/r1/cells/1,soc,,
                ns=2;i=1999,racks/r1/cells/1,soh,,
                /2:Battery/2:Humidity,racks/r1,humidity,,
                """);
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(GatewayFiles.write(dir,
                    serverConfig.mqttPort(), """
                            metrics.listen = 127.0.0.1:0
                            [source plc]
                            type = opcua
                            endpoint = %s
                            node-map = nodes.csv
                            """.formatted(plc.endpoint()))), Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                final OpcUaSource source = (OpcUaSource) gateway.sources().get(0);
                await().atMost(Duration.ofSeconds(60)).until(() -> source.health().up()
                        && source.health().counters().get("bad-status") == 3);

                final List<String> series = GatewayMetrics.scrape(gateway).lines()
                        .filter(line -> line.startsWith("cellwatch_gateway_opcua_bad_status_total")).toList();
                assertThat(series).containsExactly("cellwatch_gateway_opcua_bad_status_total{source=\"plc\"} 3.0");
                assertThat(gateway.health()).contains("ns=2;i=1998 (line 3)", "ns=2;i=1999 (line 4)",
                        "/2:Battery/2:Humidity (line 5)");
            }
        }
    }

    private static List<Path> listed(final Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
