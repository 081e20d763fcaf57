package io.cellwatch.edge.app;

import io.cellwatch.edge.config.BrokerEndpoint;
import io.cellwatch.edge.config.ConfigException;
import io.cellwatch.edge.config.GatewayConfig;
import io.cellwatch.edge.gpio.GpioSettings;
import io.cellwatch.edge.modbus.Endian;
import io.cellwatch.edge.modbus.ModbusRtuSettings;
import io.cellwatch.edge.modbus.ModbusTcpLink;
import io.cellwatch.edge.modbus.ModbusTcpSettings;
import io.cellwatch.edge.modbus.RegisterFunction;
import io.cellwatch.edge.modbus.RegisterSpec;
import io.cellwatch.edge.modbus.ValueType;
import io.cellwatch.edge.sunspec.SunspecSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GatewayConfigParserTest {

    @TempDir
    Path dir;

    private Path write(final String name, final String text) throws Exception {
        final Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsAValidConfigWithDefaultsAndItsRegisterMap() throws Exception {
        write("registers.csv", """
                # a test map
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,float32,little,big,,,racks/r1/packs/k1/cells/1,voltage
                1,coil,5,,,,,,racks/r1,contactor
                """);
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-acme-p1
                broker.url = tcp://127.0.0.1:1883
                broker.username = gw-acme-p1
                broker.password = secret

                [source bms]
                type = modbus-tcp
                host = 10.0.0.5
                register-map = registers.csv
                poll-interval = 250ms
                """);

        final GatewayConfig config = GatewaySources.all().parse(conf);

        assertThat(config.statusTopic()).isEqualTo("tenants/acme/plants/p1/gateways/gw-acme-p1/status");
        assertThat(config.broker().endpoints()).containsExactly(new BrokerEndpoint("127.0.0.1", 1883));
        assertThat(config.broker().toString()).doesNotContain("secret");
        assertThat(config.buffer().dir()).isEqualTo(dir.resolve("buffer"));
        assertThat(config.publish().maxInFlight()).isEqualTo(100);
        final ModbusTcpSettings modbus = (ModbusTcpSettings) config.sources().get(0);
        assertThat(modbus.port()).isEqualTo(502);
        assertThat(modbus.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(modbus.registers()).containsExactly(
                new RegisterSpec(3, 1, RegisterFunction.HOLDING, 0, ValueType.FLOAT32, Endian.LITTLE, Endian.BIG, 1,
                        0, "racks/r1/packs/k1/cells/1", "voltage"),
                new RegisterSpec(4, 1, RegisterFunction.COIL, 5, ValueType.BOOL, Endian.BIG, Endian.BIG, 1, 0,
                        "racks/r1", "contactor"));
    }

    /** A gateway config for SunSpec sections: its top keys are lines 1-6, {@code sections} starts at line 7. */
    private Path sunspecConf(final String sections) throws Exception {
        return write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                broker.username = gw-1
                broker.password = secret
                """ + sections);
    }

    @Test
    void aSunspecSourceNeedsOnlyAHostAndTakesNoRegisterMap() throws Exception {
        final Path conf = sunspecConf("""
                [source battery]
                type = sunspec
                host = 10.0.0.7

                [source other]
                type = sunspec
                host = 10.0.0.8
                unit = 300
                register-map = registers.csv
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        assertThat(e.problems()).hasSize(2).contains(conf + ":14: source 'other': 'unit' = '300': must be between 0"
                + " and 255").anyMatch(p -> p.startsWith(conf + ":15: source 'other': unknown key 'register-map'"));
    }

    @Test
    void aSunspecSourceDefaultsToPort502AndUnit1() throws Exception {
        final Path conf = sunspecConf("""
                [source battery]
                type = sunspec
                host = 10.0.0.7
                """);

        final SunspecSettings battery = (SunspecSettings) GatewaySources.all().parse(conf).sources().get(0);

        assertThat(battery.link()).isEqualTo(new ModbusTcpLink("10.0.0.7", 502, 1, Duration.ofSeconds(1), 1));
        assertThat(battery.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void listsEveryProblemOfABadConfigWithItsLine() throws Exception {
        final Path conf = write("gateway.conf", """
                tenant = ac me
                client-id = gw-1
                broker.url = http://broker
                publish.max-in-flight = lots
                reconnect.max-delay = 5 years
                colour = blue
                tenant = again

                [source a]
                type = profinet
                [source b]
                type = simulator
                poll-interval = 1ms
                [source b]
                type = simulator
                [bogus]
                [source c]
                type = gpio
                pin.door = 99
                pin.fan = 5 racks
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        // Sorted by line, as an editor walks them (they are found in another order).
        assertThat(e.problems()).containsExactly(
                conf + ":1: 'tenant' = 'ac me' cannot be a topic level: it 'ac me' has a character outside"
                        + " [A-Za-z0-9_.:@~-] at index 2",
                conf + ":1: 'plant' is required",
                conf + ":3: 'broker.url' 'http://broker' is not a broker URL: expected tcp://HOST:PORT or ssl://HOST:PORT",
                conf + ":4: 'publish.max-in-flight' = 'lots': is not a number",
                conf + ":5: 'reconnect.max-delay' = '5 years': is not a duration (e.g. 500ms, 2s, 5m, 1h)",
                conf + ":6: unknown key 'colour'",
                conf + ":7: 'tenant' is set twice (first at line 1)",
                conf + ":10: source 'a': 'type' = 'profinet': expected modbus-tcp, modbus-rtu, sunspec, gpio, simulator, opcua or mqtt",
                conf + ":13: source 'b': 'poll-interval' = '1ms': must be at least 10ms",
                conf + ":14: source 'b' is defined twice (first at line 11)",
                conf + ":16: expected a section header '[source NAME]', found '[bogus]'",
                conf + ":19: source 'c': 'pin.door' = '99': expected 'BCM-PIN [path]' with a pin from 0 to 53",
                conf + ":20: source 'c': 'pin.fan' = '5 racks': path 'racks' needs (level, id) pairs");
    }

    @Test
    void aMisspeltKeyIsReportedAsUnknownWithTheNearestKnownKey() throws Exception {
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                broker.usernme = gw-1
                broker.password = secret
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        assertThat(e.problems()).contains(
                conf + ":5: unknown key 'broker.usernme' (did you mean 'broker.username'?)");
    }

    @Test
    void aFloat32OverlappingAUint16IsRefusedWithBothLines() throws Exception {
        final Path map = write("registers.csv", """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,6,float32,big,big,1,0,racks/r1,current
                1,holding,7,uint16,big,big,1,0,racks/r1,voltage
                1,input,7,uint16,big,big,1,0,racks/r1,soc
                """);
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                [source bms]
                type = modbus-tcp
                host = 10.0.0.5
                register-map = registers.csv
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        assertThat(e.problems()).containsExactly(map + ":3: the uint16 at unit 1 holding 7 overlaps the float32 at"
                + " unit 1 holding 6-7 of line 2: each register may feed one entry");
    }

    @Test
    void listsEveryProblemOfABadRegisterMapWithItsLineAndStartsNothing() throws Exception {
        final Path map = write("registers.csv", """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,float32,big,big,1,0,racks/r1/cells/1,voltage
                300,holding,0,int16,big,big,1,0,racks/r1/cells/1,current
                1,register,0,int16,big,big,1,0,racks/r1/cells/1,a
                1,holding,-4,int17,middle,big,x,0,racks/r1/cells/1,b
                1,coil,0,float32,,,,,racks/r1,c
                1,input,65535,uint32,big,big,1,0,racks/r1,d
                1,holding,0,int16,big,big,0,0,racks/r1,e
                1,holding,0,int16,big,big,1,0,racks/r1/cells,f
                1,holding,0,int16,big,big,1,0,racks/r 1,g
                1,holding,0,int16,big,big,1,0,racks/r1,status
                1,holding,2,float32,big,big,1,0,racks/r1/cells/1,voltage
                1,holding,0,int16
                """);
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                [source bms]
                type = modbus-tcp
                host = 10.0.0.5
                register-map = registers.csv
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        assertThat(e.problems()).containsExactly(
                map + ":3: unit '300': expected a whole number from 0 to 255",
                map + ":4: function 'register': expected holding, input, coil or discrete",
                map + ":5: address '-4': expected a whole number from 0 to 65535",
                map + ":5: type 'int17': expected int16, uint16, int32, uint32, float32, float64"
                        + " (or bool for coils and discrete inputs)",
                map + ":5: word-order 'middle': expected big or little",
                map + ":5: scale 'x': expected a finite number",
                map + ":6: type 'float32' does not fit function 'coil': coils and discrete inputs are bool,"
                        + " registers are numbers",
                map + ":7: a uint32 at address 65535 runs past address 65535",
                map + ":8: scale is 0: every value would be the offset",
                map + ":9: path 'racks/r1/cells' / metric 'f': needs (level, id) pairs, e.g. racks/r1/cells/3",
                map + ":10: path 'racks/r 1' / metric 'g': a level 'r 1' has a character outside"
                        + " [A-Za-z0-9_.:@~-] at index 1",
                map + ":11: path 'racks/r1' / metric 'status': metric name 'status' is reserved",
                map + ":12: metric 'voltage' of 'racks/r1/cells/1' is already mapped at line 2",
                map + ":13: expected 10 columns (" + "unit,function,address,type,word-order,byte-order,scale,"
                        + "offset,path,metric), found 4");
    }

    @Test
    void readsGpioInputsAsPinAndPath() throws Exception {
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = ssl://broker.example
                [source contacts]
                type = gpio
                pull = up
                pin.door = 27
                pin.contactor = 17 racks/r1
                """);

        final GatewayConfig config = GatewaySources.all().parse(conf);

        assertThat(config.broker().endpoints()).containsExactly(new BrokerEndpoint("broker.example", 8883));
        assertThat(config.broker().tls()).isTrue();
        final GpioSettings gpio = (GpioSettings) config.sources().get(0);
        assertThat(gpio.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(gpio.pull()).isEqualTo("up");
        assertThat(gpio.inputs()).containsExactly(new GpioSettings.Input("door", 27, ""),
                new GpioSettings.Input("contactor", 17, "racks/r1"));
    }

    @Test
    void anIdPlaceholderThatIsOnlyPartOfAnIdLevelIsRefusedWithItsLine() throws Exception {
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://broker:1883
                [source sensors]
                type = mqtt
                url = tcp://127.0.0.1:1884
                rule.env.filter = sensors/+/data
                rule.env.path = sensors/s-{id}
                rule.env.id = topic.2
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        assertThat(e.problems()).containsExactly(conf + ":9: source 'sensors': 'rule.env.path' = 'sensors/s-{id}':"
                + " {id} must be a whole id, e.g. sensors/{id}");
    }

    @Test
    void shippedExamplesAreValid() throws Exception {
        // The examples sit beside the two modules, in edge-firmware-bridge/examples.
        Files.copy(Path.of("../examples/registers.csv"), dir.resolve("registers.csv"));
        final Path password = write("password", "secret\n");
        final Path conf = write("gateway.conf", Files.readString(Path.of("../examples/gateway.conf"))
                .replace("/etc/cellwatch-gateway/password", password.toString()));

        final GatewayConfig config = GatewaySources.all().parse(conf);

        assertThat(config.broker().password()).isEqualTo("secret");
        assertThat(((ModbusTcpSettings) config.sources().get(0)).registers()).hasSize(10);
    }

    @Test
    void reportsAMissingRegisterMapFile() throws Exception {
        final Path conf = write("gateway.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                [source bms]
                type = modbus-tcp
                host = 10.0.0.5
                register-map = nowhere.csv
                """);

        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(conf), ConfigException.class);

        assertThat(e.problems()).singleElement().asString()
                .startsWith(dir.resolve("nowhere.csv") + ": cannot read the register map");
    }

    @Test
    void readsAModbusRtuLineWithSerialDefaultsAndListsBadSerialSettings() throws Exception {
        write("registers.csv", """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                7,input,0,uint16,,,0.001,,racks/r1/packs/k1/cells/1,voltage
                """);
        final Path good = write("good.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                [source rs485]
                type = modbus-rtu
                serial-port = /dev/ttyUSB0
                register-map = registers.csv
                """);
        final Path bad = write("bad.conf", """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1
                [source rs485]
                type = modbus-rtu
                baud = 12
                parity = maybe
                data-bits = 9
                stop-bits = 3
                register-map = registers.csv
                """);

        final ModbusRtuSettings rtu = (ModbusRtuSettings) GatewaySources.all().parse(good).sources().get(0);
        final ConfigException e = catchThrowableOfType(() -> GatewaySources.all().parse(bad), ConfigException.class);

        assertThat(rtu.port()).isEqualTo("/dev/ttyUSB0");
        assertThat(rtu.baud()).isEqualTo(9600);
        assertThat(rtu.parity()).isEqualTo("even");
        assertThat(rtu.dataBits()).isEqualTo(8);
        assertThat(rtu.stopBits()).isEqualTo("1");
        assertThat(rtu.registers()).singleElement().extracting(RegisterSpec::unit).isEqualTo(7);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                bad + ":5: source 'rs485': 'serial-port' is required",
                bad + ":7: source 'rs485': 'baud' = '12': must be between 300 and 4000000",
                bad + ":8: source 'rs485': 'parity' = 'maybe': expected none, even, odd",
                bad + ":9: source 'rs485': 'data-bits' = '9': must be between 5 and 8",
                bad + ":10: source 'rs485': 'stop-bits' = '3': expected 1, 1.5, 2");
    }
}
