package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
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
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Modbus RTU over a virtual serial line: {@code socat} joins two pseudo-terminals, j2mod's serial slave answers for
 * two unit ids on one end, the gateway's modbus-rtu source reads the other (19200 baud, 8E1) and publishes into a
 * real embedded cellwatch. Needs {@code socat} (installed by {@code .ci/run}).
 */
@Timeout(120)
class ModbusRtuToCellwatchIT {

    private static final String PLANT = "tenants/acme/plants/p1";
    private static final String CELL1 = PLANT + "/racks/r1/packs/k1/cells/1/";
    private static final String CELL2 = PLANT + "/racks/r1/packs/k1/cells/2/";

    @TempDir
    Path dir;

    private Process socat;
    private ModbusSlave slave;

    @BeforeEach
    void startSerialPair() throws Exception {
        // Symlinks named like serial devices: j2mod opens them by path through jSerialComm.
        socat = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + dir.resolve("ttyDEVICE"),
                "pty,raw,echo=0,link=" + dir.resolve("ttyGATEWAY"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("ttyDEVICE"))
                && Files.exists(dir.resolve("ttyGATEWAY")));
    }

    @AfterEach
    void stop() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
        if (socat != null) {
            socat.destroy();
        }
    }

    @Test
    void twoUnitsOnASerialLineAreDecodedScaledAndPublishedInBatchedReads() throws Exception {
        final RequestCountingImage unit1 = new RequestCountingImage();
        final int f = Float.floatToIntBits(3.671f);
        unit1.addRegister(new SimpleRegister(0xFFFE));                 // 0 int16 -2
        unit1.addRegister(new SimpleRegister(f >>> 16));               // 1 float32 big/big
        unit1.addRegister(new SimpleRegister(f & 0xFFFF));
        unit1.addRegister(new SimpleRegister(0xFFF6));                 // 3 int32 -10, low word first
        unit1.addRegister(new SimpleRegister(0xFFFF));
        final RequestCountingImage unit2 = new RequestCountingImage();
        unit2.addInputRegister(new SimpleInputRegister(650));         // input 0: 25.0 °C (tenths, offset -40)
        unit2.addInputRegister(new SimpleInputRegister(3712));        // input 1: 3.712 V
        final SerialParameters device = new SerialParameters(dir.resolve("ttyDEVICE").toString(), 19200, 0, 0, 8, 1,
                0, false);
        device.setParity("even");
        device.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        slave = ModbusSlaveFactory.createSerialSlave(device);
        slave.addProcessImage(1, unit1);
        slave.addProcessImage(2, unit2);
        slave.open();
        Files.writeString(dir.resolve("registers.csv"), """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,int16,big,big,1,0,racks/r1/packs/k1/cells/1,i16
                1,holding,1,float32,big,big,1,0,racks/r1/packs/k1/cells/1,f32
                1,holding,3,int32,little,big,1,0,racks/r1/packs/k1/cells/1,i32
                2,input,0,int16,big,big,0.1,-40,racks/r1/packs/k1/cells/2,temperature
                2,input,1,uint16,big,big,0.001,0,racks/r1/packs/k1/cells/2,voltage
                """);

        try (CellwatchServer server = TestServers.start(dir.resolve("server"))) {
            final Path conf = GatewayFiles.write(dir, server.mqttPort(), """
                    [source bms]
                    type = modbus-rtu
                    serial-port = %s
                    baud = 19200
                    parity = even
                    data-bits = 8
                    stop-bits = 1
                    timeout = 500ms
                    register-map = registers.csv
                    poll-interval = 200ms
                    """.formatted(dir.resolve("ttyGATEWAY")));
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> api.latest(CELL1 + "i32") != null
                        && api.latest(CELL2 + "voltage") != null);

                assertThat(api.latest(CELL1 + "i16")).isEqualTo(-2.0);
                assertThat(api.latest(CELL1 + "f32")).isCloseTo(3.671, within(1e-6));
                assertThat(api.latest(CELL1 + "i32")).isEqualTo(-10.0);
                assertThat(api.latest(CELL2 + "temperature")).isCloseTo(25.0, within(1e-9));
                assertThat(api.latest(CELL2 + "voltage")).isCloseTo(3.712, within(1e-9));
                assertThat(gateway.sources().get(0).readErrors()).isZero();
                assertThat(gateway.stats().refused()).isZero();
            }
        }
        // Batched: one request per unit and table per poll.
        assertThat(unit1.requests).isNotEmpty().containsOnly("holding 0+5");
        assertThat(unit2.requests).isNotEmpty().containsOnly("input 0+2");
    }
}
