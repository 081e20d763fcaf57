package io.cellwatch.broker.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestAccess;
import io.cellwatch.broker.TestServers;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real gateway reports its health to the server: with a register map off by one against a j2mod slave, the
 * operator's {@code GET /api/v1/gateways} shows the gateway degraded, the failing request and the series it keeps
 * away; once the device answers the whole range, the gateway is ok again there.
 */
@Timeout(120)
class GatewayHealthIT {

    private static final int CELLS = 16;

    @TempDir
    Path dir;

    private ModbusSlave slave;
    private RequestCountingImage image;
    private int modbusPort;

    @BeforeEach
    void startDevice() throws Exception {
        image = new RequestCountingImage();
        for (int c = 0; c < CELLS; c++) {
            image.addRegister(new SimpleRegister(3300 + c));
            image.addInputRegister(new SimpleInputRegister(250 + c));
        }
        modbusPort = TestServers.freePort();
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    @AfterEach
    void stopDevice() {
        ModbusSlaveFactory.close(slave);
    }

    @Test
    void degradedHealthReachesTheApiWithTheMissingSeriesAndIsOkAgainWhenTheDeviceRecovers() throws Exception {
        // Voltages mapped from address 1: the request for holding 1+16 reads past the device's 16 registers.
        final StringBuilder map = new StringBuilder(
                "unit,function,address,type,word-order,byte-order,scale,offset,path,metric\n");
        for (int c = 0; c < CELLS; c++) {
            map.append("1,holding,").append(1 + c).append(",uint16,,,0.001,0,racks/r1/packs/k1/cells/")
                    .append(c + 1).append(",voltage\n");
        }
        for (int c = 0; c < CELLS; c++) {
            map.append("1,input,").append(c).append(",int16,,,0.1,0,racks/r1/packs/k1/cells/").append(c + 1)
                    .append(",temperature\n");
        }
        Files.writeString(dir.resolve("registers.csv"), map);
        try (CellwatchServer server = TestServers.start(dir.resolve("server"))) {
            final Path conf = GatewayFiles.write(dir, server.mqttPort(), """
                    [source bms]
                    type = modbus-tcp
                    host = 127.0.0.1
                    port = %d
                    register-map = registers.csv
                    poll-interval = 100ms
                    retries = 0
                    """.formatted(modbusPort));
            final HttpApi operator = new HttpApi(server.httpPort(), TestAccess.ACME_OPERATOR);
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();

                final JsonNode degraded = await().atMost(Duration.ofSeconds(30))
                        .until(() -> health(operator), h -> h != null && h.path("state").asText().equals("degraded"));
                final JsonNode source = degraded.path("sources").path(0);
                assertThat(source.path("name").asText()).isEqualTo("bms");
                assertThat(source.path("state").asText()).isEqualTo("degraded");
                final JsonNode problem = source.path("problems").path(0);
                assertThat(problem.path("request").asText()).isEqualTo("unit 1 holding 1+16 (lines 2-17)");
                assertThat(problem.path("error").asText()).contains("Illegal Data Address");
                assertThat(problem.path("missing").asInt()).isEqualTo(CELLS);
                final List<String> series = new ArrayList<>();
                problem.path("series").forEach(s -> series.add(s.asText()));
                assertThat(series).hasSize(CELLS).contains("racks/r1/packs/k1/cells/1/voltage",
                        "racks/r1/packs/k1/cells/16/voltage");

                // A request failing poll after poll is one report, not one per poll.
                final HttpApi admin = new HttpApi(server.httpPort());
                final String accepted = "cellwatch_gateway_health_reports_total{outcome=\"accepted\"}";
                final double reports = admin.metric(accepted);
                final long errors = gateway.sources().get(0).readErrors();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> gateway.sources().get(0).readErrors() >= errors + 20);
                assertThat(admin.metric(accepted)).isEqualTo(reports);

                // The device grows the register the map expects: every request answers again.
                image.addRegister(new SimpleRegister(3316));

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> health(operator), h -> h != null && h.path("state").asText().equals("ok"));
                assertThat(health(operator).path("sources").path(0).path("problems")).isEmpty();
            }
        }
    }

    /** The {@code health} of the acme gateway in the operator's {@code GET /api/v1/gateways}, or null. */
    private static JsonNode health(final HttpApi api) throws Exception {
        for (final JsonNode gateway : api.getJson("/api/v1/gateways").path("gateways")) {
            if (gateway.path("gateway").asText().equals(GatewayFiles.CLIENT_ID) && gateway.has("health")) {
                return gateway.path("health");
            }
        }
        return null;
    }
}
