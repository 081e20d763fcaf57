package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewayMain;
import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.source.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real j2mod Modbus TCP slave (16 cells: voltages in holding registers 0–15, temperatures in input registers
 * 0–15, the SoC in input register 16) that misbehaves as plant devices do: it answers some requests with an
 * exception, or the register map is off by one. The gateway must retry what a retry fixes, name what it cannot, and
 * say which series are missing.
 */
@Timeout(120)
class ModbusFaultsIT {

    private static final int CELLS = 16;
    private static final String PLANT = "tenants/acme/plants/p1";

    @TempDir
    Path dir;

    private ModbusSlave slave;
    private RequestCountingImage image;
    private int modbusPort;

    @BeforeEach
    void startDevice() throws Exception {
        image = new RequestCountingImage();
        for (int c = 0; c < CELLS; c++) {
            image.addRegister(new SimpleRegister(3300 + c));          // mV
            image.addInputRegister(new SimpleInputRegister(250 + c)); // 0.1 °C
        }
        image.addInputRegister(new SimpleInputRegister(873));          // SoC, 0.1 %
        modbusPort = TestServers.freePort();
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    @AfterEach
    void stopDevice() {
        ModbusSlaveFactory.close(slave);
    }

    /** A map of every cell's voltage and temperature and the SoC; {@code voltageFrom} is the first voltage address. */
    private Path registerMap(final int voltageFrom) throws Exception {
        final StringBuilder map = new StringBuilder(
                "unit,function,address,type,word-order,byte-order,scale,offset,path,metric\n");
        for (int c = 0; c < CELLS; c++) {
            map.append("1,holding,").append(voltageFrom + c).append(",uint16,,,0.001,0,racks/r1/packs/k1/cells/")
                    .append(c + 1).append(",voltage\n");
        }
        for (int c = 0; c < CELLS; c++) {
            map.append("1,input,").append(c).append(",int16,,,0.1,0,racks/r1/packs/k1/cells/").append(c + 1)
                    .append(",temperature\n");
        }
        map.append("1,input,16,uint16,,,0.1,0,,soc\n");
        final Path file = dir.resolve("registers.csv");
        Files.writeString(file, map);
        return file;
    }

    private Path gatewayConf(final int mqttPort, final int retries) throws Exception {
        return GatewayFiles.write(dir, mqttPort, """
                metrics.listen = 127.0.0.1:0

                [source bms]
                type = modbus-tcp
                host = 127.0.0.1
                port = %d
                register-map = registers.csv
                poll-interval = 100ms
                retries = %d
                """.formatted(modbusPort, retries));
    }

    @Test
    void aDeviceFailingEveryFifthRequestLosesNothingWithOneRetry() throws Exception {
        registerMap(0);
        image.failEvery(5);
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        final long readErrors;
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(gatewayConf(server.mqttPort(), 1)),
                    Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                // 3 requests a poll: every request position of a poll meets the failures within 5 polls.
                await().atMost(Duration.ofSeconds(60)).until(() -> image.failed.get() >= 12
                        && gateway.stats().acked() >= 30L * (CELLS + 1));
                readErrors = gateway.sources().get(0).readErrors();
                final long appended = gateway.buffer().appended();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.stats().acked() >= appended);
            }
        }
        assertThat(readErrors).as("polls that lost a request").isZero();
        // Every poll (one device time) reached history with all 33 series; the last one may be cut by the stop.
        final SortedMap<Long, Long> seriesPerPoll = GatewayHistory.seriesPerTime(serverConfig);
        final List<Long> complete = new ArrayList<>(seriesPerPoll.headMap(seriesPerPoll.lastKey()).values());
        assertThat(complete).hasSizeGreaterThanOrEqualTo(25).containsOnly(2L * CELLS + 1);
    }

    @Test
    void checkProbeNamesTheMapLinesAndTheExceptionOfAnOffByOneMap() throws Exception {
        registerMap(1);
        final Path conf = gatewayConf(TestServers.freePort(), 1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int code = GatewayMain.run(new String[]{"check", "--probe", conf.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        final String report = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(report + err).isEqualTo(1);
        // The line that reads past the device's registers is named with the device's own answer...
        assertThat(report).containsPattern("registers\\.csv:17 .*holding 16.*Illegal Data Address");
        // ...and so is the request it spoils in a poll, with the lines it takes down.
        assertThat(report).contains("holding 1+16", "lines 2-17");
        assertThat(report).containsPattern("registers\\.csv:18 .*input 0.*OK");
        assertThat(report).containsPattern("registers\\.csv:34 .*input 16.*OK");
    }

    @Test
    void anOffByOneMapRunsDegradedAndStatusAndMetricsNameTheMissingSeries() throws Exception {
        registerMap(1);
        try (CellwatchServer server = TestServers.start(dir.resolve("server"))) {
            final Path conf = gatewayConf(server.mqttPort(), 1);
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();
                final Source bms = gateway.sources().get(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> api.latest(PLANT + "/soc") != null
                        && bms.readErrors() >= 3);

                assertThat(bms.health().state()).isEqualTo("degraded");
                assertThat(api.latest(PLANT + "/racks/r1/packs/k1/cells/1/voltage")).isNull();
                assertThat(api.latest(PLANT + "/racks/r1/packs/k1/cells/1/temperature")).isEqualTo(25.0);

                final String metrics = GatewayMetrics.scrape(gateway);
                assertThat(metrics).contains("cellwatch_gateway_source_up{source=\"bms\",state=\"degraded\"} 0.0")
                        .containsPattern("cellwatch_gateway_source_missing_series\\{[^}]*request=\"unit 1 holding"
                                + " 1\\+16 \\(lines 2-17\\)\"[^}]*source=\"bms\"} 16.0");

                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    out.reset();
                    GatewayMain.run(new String[]{"status", conf.toString()},
                            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
                    return out.toString(StandardCharsets.UTF_8).contains("degraded");
                });
                assertThat(out.toString(StandardCharsets.UTF_8))
                        .contains("source bms: degraded", "unit 1 holding 1+16 (lines 2-17)", "Illegal Data Address",
                                "16 series missing", "racks/r1/packs/k1/cells/1/voltage");
            }
        }
    }
}
