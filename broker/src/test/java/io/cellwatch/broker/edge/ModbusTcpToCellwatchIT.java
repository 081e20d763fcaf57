package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.HttpApi;
import io.cellwatch.broker.TestServers;
import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.app.GatewaySources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A real j2mod Modbus TCP slave on loopback, read by the gateway with every register type, word and byte order,
 * scale and offset, in batched requests, and published into a real embedded cellwatch.
 */
@Timeout(120)
class ModbusTcpToCellwatchIT {

    private static final String PLANT = "tenants/acme/plants/p1";
    private static final String CELL1 = PLANT + "/racks/r1/packs/k1/cells/1/";
    private static final String CELL2 = PLANT + "/racks/r1/packs/k1/cells/2/";

    @TempDir
    Path dir;

    private ModbusSlave slave;

    @AfterEach
    void closeSlave() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
    }

    private static void words(final SimpleProcessImage image, final int... words) {
        for (final int w : words) {
            image.addRegister(new SimpleRegister(w));
        }
    }

    private RequestCountingImage deviceImage() {
        final RequestCountingImage image = new RequestCountingImage();
        words(image, 0xFFFE);                                   // 0 int16 -2
        words(image, 0x3412);                                   // 1 uint16, bytes swapped: 0x1234
        words(image, 0xFFF6, 0xFFFF);                           // 2 int32 -10, low word first
        words(image, 0xFFFF, 0xFFF6);                           // 4 uint32 4294967286
        final int f = Float.floatToIntBits(3.671f);
        words(image, f >>> 16, f & 0xFFFF);                     // 6 float32 big/big
        final int g = Float.floatToIntBits(3.25f);
        words(image, swap(g & 0xFFFF), swap(g >>> 16));         // 8 float32 little/little
        final long d = Double.doubleToLongBits(-12500.5);
        words(image, (int) (d >>> 48) & 0xFFFF, (int) (d >>> 32) & 0xFFFF, (int) (d >>> 16) & 0xFFFF,
                (int) d & 0xFFFF);                              // 10 float64
        image.addInputRegister(new SimpleInputRegister(650));   // input 0: 65.0 °C raw tenths, offset -40
        image.addInputRegister(new SimpleInputRegister(3712));  // input 1: mV
        image.addDigitalOut(new SimpleDigitalOut(true));        // coil 0
        image.addDigitalOut(new SimpleDigitalOut(false));       // coil 1
        image.addDigitalIn(new SimpleDigitalIn(true));          // discrete 0
        return image;
    }

    private static int swap(final int word) {
        return ((word & 0xFF) << 8) | (word >>> 8);
    }

    @Test
    void everyRegisterTypeAndOrderIsDecodedScaledAndPublishedFromOneRequestPerTable() throws Exception {
        final RequestCountingImage image = deviceImage();
        final int modbusPort = TestServers.freePort();
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
        Files.writeString(dir.resolve("registers.csv"), """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,int16,big,big,1,0,racks/r1/packs/k1/cells/1,i16
                1,holding,1,uint16,big,little,1,0,racks/r1/packs/k1/cells/1,u16
                1,holding,2,int32,little,big,1,0,racks/r1/packs/k1/cells/1,i32
                1,holding,4,uint32,big,big,1,0,racks/r1/packs/k1/cells/1,u32
                1,holding,6,float32,big,big,1,0,racks/r1/packs/k1/cells/1,f32
                1,holding,8,float32,little,little,1,0,racks/r1/packs/k1/cells/1,f32le
                1,holding,10,float64,big,big,1,0,racks/r1/packs/k1/cells/1,f64
                1,input,0,int16,big,big,0.1,-40,racks/r1/packs/k1/cells/2,temperature
                1,input,1,uint16,big,big,0.001,0,racks/r1/packs/k1/cells/2,voltage
                1,coil,0,bool,,,,,racks/r1,contactor
                1,coil,1,bool,,,,,racks/r1,fan
                1,discrete,0,bool,,,,,,door
                """);

        try (CellwatchServer server = TestServers.start(dir.resolve("server"))) {
            final Path conf = GatewayFiles.write(dir, server.mqttPort(), """
                    [source bms]
                    type = modbus-tcp
                    host = 127.0.0.1
                    port = %d
                    register-map = registers.csv
                    poll-interval = 200ms
                    """.formatted(modbusPort));
            final HttpApi api = new HttpApi(server.httpPort());
            try (Gateway gateway = new Gateway(GatewaySources.all().parse(conf), Clock.systemUTC(),
                    GatewaySources.all())) {
                gateway.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> api.latest(PLANT + "/door") != null
                        && api.latest(CELL1 + "f64") != null && api.latest(CELL2 + "voltage") != null);

                assertThat(api.latest(CELL1 + "i16")).isEqualTo(-2.0);
                assertThat(api.latest(CELL1 + "u16")).isEqualTo(4660.0);
                assertThat(api.latest(CELL1 + "i32")).isEqualTo(-10.0);
                assertThat(api.latest(CELL1 + "u32")).isEqualTo(4294967286.0);
                assertThat(api.latest(CELL1 + "f32")).isCloseTo(3.671, within(1e-6));
                assertThat(api.latest(CELL1 + "f32le")).isEqualTo(3.25);
                assertThat(api.latest(CELL1 + "f64")).isEqualTo(-12500.5);
                assertThat(api.latest(CELL2 + "temperature")).isCloseTo(25.0, within(1e-9));
                assertThat(api.latest(CELL2 + "voltage")).isCloseTo(3.712, within(1e-9));
                assertThat(api.latest(PLANT + "/racks/r1/contactor")).isEqualTo(1.0);
                assertThat(api.latest(PLANT + "/racks/r1/fan")).isEqualTo(0.0);
                assertThat(api.latest(PLANT + "/door")).isEqualTo(1.0);
                assertThat(gateway.stats().refused()).isZero();
            }
        }
        // Batched: every poll asked the device for each table's span in one request.
        assertThat(image.requests).isNotEmpty()
                .containsOnly("holding 0+14", "input 0+2", "coil 0+2", "discrete 0+1");
    }
}
