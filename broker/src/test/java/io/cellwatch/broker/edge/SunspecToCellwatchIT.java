package io.cellwatch.broker.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.broker.config.ServerConfig;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewayMain;
import io.cellwatch.edge.app.GatewaySources;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.sunspec.SunspecTestDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SunSpec battery on a real j2mod Modbus TCP slave: model 1, 802, 803, two 804 strings of four modules and eight
 * 805 modules of 16 cells, its registers encoded from the same SunSpec model JSON the gateway reads, with known raw
 * values and scale factors. The gateway is given only {@code type = sunspec} and the device's address.
 */
@Timeout(120)
class SunspecToCellwatchIT {

    private static final String PLANT = "tenants/acme/plants/p1";
    private static final int STRINGS = 2;
    private static final int MODULES = 4;
    private static final int CELLS = 16;

    @TempDir
    Path dir;

    private LoopbackModbusSlave slave;

    @AfterEach
    void stopDevice() {
        if (slave != null) {
            slave.close();
        }
    }

    /** Cell voltage in mV (each string, module and cell its own). */
    private static int millivolts(final int string, final int module, final int cell) {
        return 3000 + string * 100 + module * 10 + cell;
    }

    /** Cell temperature in 0.1 °C, below zero for the first cells. */
    private static int deciCelsius(final int string, final int module, final int cell) {
        return string * 100 + module * 10 + cell - 150;
    }

    /** The battery, with the last module of the second string scaled 10^-4 V (its raw voltages 10 times larger). */
    private static SunspecTestDevice battery(final int base) {
        final SunspecTestDevice device = new SunspecTestDevice(base);
        device.add(1, 0, Map.of("Mn", "Acme", "Md", "BMS-100", "SN", "SN-0042", "Vr", "2.1"), i -> Map.of());
        device.add(802, 0, Map.of("SoC", 823, "SoC_SF", -1, "V", 16_012, "V_SF", -1, "A", -125, "A_SF", -1,
                "Evt1", 1L << 11), i -> Map.of());
        device.add(803, STRINGS, Map.of("NStr", STRINGS, "ModTmpMax", 312, "ModTmp_SF", -1),
                i -> Map.of("StrNMod", MODULES));
        for (int s = 1; s <= STRINGS; s++) {
            device.add(804, MODULES, Map.of("Idx", s, "NMod", MODULES, "SoC", 80 + s, "SoC_SF", 0), i -> Map.of());
        }
        for (int s = 1; s <= STRINGS; s++) {
            for (int m = 1; m <= MODULES; m++) {
                final int string = s;
                final int module = m;
                final boolean fine = s == 2 && m == MODULES;
                device.add(805, CELLS, Map.of("StrIdx", s, "ModIdx", m, "NCell", CELLS, "CellV_SF", fine ? -4 : -3,
                        "Tmp_SF", -1), i -> Map.of("CellV", millivolts(string, module, i + 1) * (fine ? 10 : 1),
                        "CellTmp", deciCelsius(string, module, i + 1), "CellSt", 0L));
            }
        }
        return device.end();
    }

    private int startDevice(final SunspecTestDevice device) throws Exception {
        final SimpleProcessImage image = new SimpleProcessImage();
        for (final int word : device.registers()) {
            image.addRegister(new SimpleRegister(word));
        }
        slave = LoopbackModbusSlave.start(image);
        return slave.port();
    }

    private Path gatewayConf(final int mqttPort, final int modbusPort) throws Exception {
        return GatewayFiles.write(dir, mqttPort, """
                [source battery]
                type = sunspec
                host = 127.0.0.1
                port = %d
                poll-interval = 500ms
                """.formatted(modbusPort));
    }

    @Test
    void everyCellsVoltageAndTemperatureArriveInItsPlaceWithItsScale() throws Exception {
        final int modbusPort = startDevice(battery(40_000));
        final ServerConfig serverConfig = TestServers.config(dir.resolve("server"));
        try (CellwatchServer server = new CellwatchServer(serverConfig)) {
            server.start();
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(gatewayConf(server.mqttPort(),
                    modbusPort)), Clock.systemUTC(), GatewaySources.all())) {
                gateway.start();
                final Map<String, Double> latest = new HashMap<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    latest.clear();
                    for (final JsonNode sample : api.snapshot(PLANT).path("samples")) {
                        latest.put(sample.path("series").asText(), sample.path("value").asDouble());
                    }
                    return latest.keySet().stream().filter(s -> s.matches(".*/cells/\\d+/(voltage|temperature)"))
                            .count() == 2L * STRINGS * MODULES * CELLS;
                });
                final Source battery = gateway.sources().get(0);
                assertThat(battery.health().state()).isEqualTo("ok");
                assertThat(battery.health().detail()).contains("SunSpec Acme BMS-100 (serial SN-0042, version 2.1)",
                        "base 40000", "models 1, 802, 803, 804 x2, 805 x8");

                for (int s = 1; s <= STRINGS; s++) {
                    for (int m = 1; m <= MODULES; m++) {
                        for (int c = 1; c <= CELLS; c++) {
                            final String cell = PLANT + "/racks/" + s + "/packs/" + m + "/cells/" + c;
                            assertThat(latest.get(cell + "/voltage")).as(cell)
                                    .isEqualTo(millivolts(s, m, c) / 1000.0);
                            assertThat(latest.get(cell + "/temperature")).as(cell)
                                    .isEqualTo(deciCelsius(s, m, c) / 10.0);
                        }
                    }
                }
                assertThat(latest).containsEntry(PLANT + "/soc", 0.823).containsEntry(PLANT + "/voltage", 1601.2)
                        .containsEntry(PLANT + "/current", -12.5).containsEntry(PLANT + "/under_volt_alarm", 1.0)
                        .containsEntry(PLANT + "/over_volt_alarm", 0.0)
                        .containsEntry(PLANT + "/module_temperature_max", 31.2)
                        .containsEntry(PLANT + "/racks/2/soc", 0.82);
                final long appended = gateway.buffer().appended();
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.stats().acked() >= appended);
            }
        }
        // In DuckDB's history, with the same values: the fine-scaled module and a cell below zero.
        assertThat(GatewayHistory.values(serverConfig, PLANT + "/racks/2/packs/4/cells/16/voltage"))
                .isNotEmpty().containsOnly(3.256);
        assertThat(GatewayHistory.values(serverConfig, PLANT + "/racks/1/packs/1/cells/1/temperature"))
                .isNotEmpty().containsOnly(-3.9);
    }

    @Test
    void checkProbeListsTheModelsFoundOnTheDevice() throws Exception {
        final Path conf = gatewayConf(TestServers.freePort(), startDevice(battery(0)));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final int code = GatewayMain.run(new String[]{"check", "--probe", conf.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        final String report = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(report).isZero();
        assertThat(report).contains("SunSpec Acme BMS-100 (serial SN-0042, version 2.1), base 0",
                        "battery -> plant node", "lithium_ion_bank -> plant node", "lithium_ion_string -> racks/1",
                        "lithium-ion-module -> racks/2/packs/4", "every request reads")
                .containsPattern("model 805 at \\d+ \\(length 106\\): lithium-ion-module -> racks/1/packs/1, \\d+"
                        + " series");
    }

    @Test
    void aDeviceWithoutTheMarkerFailsNamingWhatEachBaseHeld() throws Exception {
        final SunspecTestDevice device = battery(40_000);
        device.put(40_000, 0x5375);
        device.put(40_001, 0x6e54);
        final Path conf = gatewayConf(TestServers.freePort(), startDevice(device));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final int code = GatewayMain.run(new String[]{"check", "--probe", conf.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SunSpec discovery failed: no SunSpec marker",
                "40000: 0x5375 0x6e54", "0: 0x0000 0x0000", "50000: Illegal Data Address");
    }

    @Test
    void aBrokenModelChainMakesTheSourceFailingWithTheModelAndAddress() throws Exception {
        final SunspecTestDevice device = battery(40_000);
        // Model 1 is at 40002; its length now runs past the device's last register.
        device.put(40_003, 5_000);
        final int modbusPort = startDevice(device);
        try (CellwatchServer server = TestServers.start(dir.resolve("server"));
             Gateway gateway = new Gateway(GatewaySources.all().parse(gatewayConf(server.mqttPort(), modbusPort)),
                     Clock.systemUTC(), GatewaySources.all())) {
            gateway.start();
            final Source battery = gateway.sources().get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> battery.readErrors() >= 2);

            assertThat(battery.health().state()).isEqualTo("failing");
            assertThat(battery.health().detail()).contains("SunSpec model 1 at 40002 (base 40000, unit 1) with"
                    + " length 5000", "Illegal Data Address", "its length runs past the device's registers");
        }
    }
}
