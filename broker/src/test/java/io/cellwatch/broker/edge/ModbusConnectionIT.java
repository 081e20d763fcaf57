package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway keeps one Modbus TCP connection to a device for as long as it runs (many BMS and PLC gateways accept
 * only 1–4 connections) and reopens it with backoff when the device goes away. The connections are counted on the
 * device side, by a relay in front of the j2mod slave.
 */
@Timeout(180)
class ModbusConnectionIT {

    /**
     * How long the gateway polls: 15 s in the README's test run (broker/pom.xml). The issue asks for a 10-minute run:
     * {@code -Dmodbus.connection.run-seconds=600 -Djunit.jupiter.execution.timeout.mode=disabled}.
     */
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("modbus.connection.run-seconds", 45));
    private static final int POLL_MS = 100;

    @TempDir
    Path dir;

    @Test
    void oneTcpConnectionCarriesEveryRequestOfALongRun() throws Exception {
        final RequestCountingImage image = new RequestCountingImage();
        image.addRegister(new SimpleRegister(3312));
        image.addRegister(new SimpleRegister(251));
        final int modbusPort = TestServers.freePort();
        final ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4,
                false);
        slave.addProcessImage(1, image);
        slave.open();
        Files.writeString(dir.resolve("registers.csv"), """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,uint16,,,0.001,0,racks/r1/packs/k1/cells/1,voltage
                1,holding,1,int16,,,0.1,0,racks/r1/packs/k1/cells/1,temperature
                """);
        try (ConnectionCountingRelay relay = new ConnectionCountingRelay(modbusPort);
             CellwatchServer server = TestServers.start(dir.resolve("server"))) {
            final Path conf = GatewayFiles.write(dir, server.mqttPort(), """
                    [source bms]
                    type = modbus-tcp
                    host = 127.0.0.1
                    port = %d
                    register-map = registers.csv
                    poll-interval = %dms
                    """.formatted(relay.port(), POLL_MS));
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();
                final long started = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).until(() -> api.latest(
                        "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1/voltage") != null);
                // The one connection must stay the only one all along the run.
                await().during(RUN.minusNanos(System.nanoTime() - started)).atMost(RUN.plusSeconds(10))
                        .untilAsserted(() -> assertThat(relay.accepted()).as("TCP connections so far").isEqualTo(1));

                final int expectedPolls = (int) (RUN.toMillis() / POLL_MS);
                assertThat(image.requests.size()).as("requests").isGreaterThanOrEqualTo(expectedPolls / 2);
                assertThat(gateway.sources().get(0).readErrors()).isZero();
                assertThat(relay.accepted()).as("TCP connections over " + image.requests.size() + " requests")
                        .isEqualTo(1);
                System.out.println("ModbusConnectionIT: " + RUN + ", " + image.requests.size() + " requests, "
                        + relay.accepted() + " TCP connection(s)");
            }
        } finally {
            ModbusSlaveFactory.close(slave);
        }
    }

    @Test
    void aDeviceThatGoesAwayIsReconnectedWithBackoffNotOncePerPoll() throws Exception {
        final RequestCountingImage image = new RequestCountingImage();
        image.addRegister(new SimpleRegister(3312));
        final int modbusPort = TestServers.freePort();
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
        Files.writeString(dir.resolve("registers.csv"), """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,uint16,,,0.001,0,racks/r1/packs/k1/cells/1,voltage
                """);
        try (ConnectionCountingRelay relay = new ConnectionCountingRelay(modbusPort);
             CellwatchServer server = TestServers.start(dir.resolve("server"))) {
            final Path conf = GatewayFiles.write(dir, server.mqttPort(), """
                    [source bms]
                    type = modbus-tcp
                    host = 127.0.0.1
                    port = %d
                    register-map = registers.csv
                    poll-interval = %dms
                    """.formatted(relay.port(), POLL_MS));
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();
                final Source bms = gateway.sources().get(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> image.requests.size() >= 5);

                // The device goes away; the relay still accepts and closes at once, as a protocol gateway does.
                ModbusSlaveFactory.close(slave);
                relay.dropConnections();
                await().atMost(Duration.ofSeconds(10)).until(() -> SourceHealth.FAILING.equals(bms.health().state()));
                final int atOutage = relay.accepted();
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                        .until(() -> SourceHealth.FAILING.equals(bms.health().state()));
                // 60 polls in 6 s; with backoff (1 s doubling) a handful of attempts.
                assertThat(relay.accepted() - atOutage).as("connection attempts during a 6 s outage")
                        .isLessThanOrEqualTo(10);

                slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4, false);
                slave.addProcessImage(1, image);
                slave.open();
                final int requestsBefore = image.requests.size();
                await().atMost(Duration.ofSeconds(45)).until(() -> bms.health().up()
                        && image.requests.size() > requestsBefore);
            }
        } finally {
            ModbusSlaveFactory.close(slave);
        }
    }
}
