package io.cellwatch.edge.app;

import io.cellwatch.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar, as an installer or systemd runs it: plain {@code java -jar}, no flags. */
@Timeout(120)
class GatewayJarIT {

    @TempDir
    Path dir;

    private record Run(int exit, String output) {
    }

    private Run run(final String... args) throws Exception {
        final String jar = System.getProperty("gateway.jar");
        final String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = jar;
        System.arraycopy(args, 0, command, 3, args.length);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void badConfigAndBadRegisterMapListEveryProblemWithItsLineAndExitNonZero() throws Exception {
        Files.writeString(dir.resolve("registers.csv"), """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,float33,big,big,1,0,racks/r1,voltage
                1,coil,0,bool,,,,,racks/r1/cells,fan
                """);
        final Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = acme
                client-id = gw-1
                broker.url = tcp://127.0.0.1:1883
                publish.drain-rate = 0
                [source bms]
                type = modbus-tcp
                host = 10.0.0.5
                register-map = registers.csv
                """);

        for (final String command : new String[]{"check", "run"}) {
            final Run run = run(command, conf.toString());

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.output()).contains(
                    "has 4 problems:",
                    conf.toRealPath() + ":1: 'plant' is required",
                    conf.toRealPath() + ":4: 'publish.drain-rate' = '0': must be between 1 and 1000000",
                    dir.toRealPath().resolve("registers.csv") + ":2: type 'float33': expected int16",
                    dir.toRealPath().resolve("registers.csv") + ":3: path 'racks/r1/cells' / metric 'fan': needs"
                            + " (level, id) pairs");
        }
    }

    @Test
    void badNodeMapAndBadMappingRulesNameTheirLineAndFieldAndStopTheGateway() throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,1,0
                ns=two;i=1002,racks/r1/cells/1,temperature,1,0
                /2:Battery/2:Current/,racks/r1,current,1,0
                ns=2;i=1004,racks/r1/cells,soc,1,0
                ns=2;i=1005,racks/r1,cycles,zero,0
                ns=2;i=1006,racks/r1/cells/1,voltage,1,0
                """);
        final Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1:1883
                [source plc]
                type = opcua
                endpoint = opc.tcp://10.0.0.7:4840
                node-map = nodes.csv
                security-policy = basic256
                [source sensors]
                type = mqtt
                url = tcp://127.0.0.1:1884
                rule.env.filter = sensors/#/data
                rule.env.path = sensors/{id}
                rule.env.id = payload.sensor_id | level.2
                rule.env.colour = blue
                rule.power.path = meters/{id}/x
                """);
        final Path nodes = dir.toRealPath().resolve("nodes.csv");

        for (final String command : new String[]{"check", "run"}) {
            final Run run = run(command, conf.toString());

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.output()).contains(
                    "has 10 problems:",
                    nodes + ":3: node 'ns=two;i=1002': expected a node id (ns=2;i=1001, ns=2;s=Rack1.Voltage) or a"
                            + " browse path",
                    nodes + ":4: node '/2:Battery/2:Current/': browse path element '' is not NAME or NAMESPACE:NAME",
                    nodes + ":5: path 'racks/r1/cells' / metric 'soc': path 'racks/r1/cells' needs (level, id) pairs",
                    nodes + ":6: scale 'zero': expected a finite number",
                    nodes + ":7: metric 'voltage' of 'racks/r1/cells/1' is already mapped at line 2",
                    conf.toRealPath() + ":9: source 'plc': 'security-policy' = 'basic256': expected none,"
                            + " basic256sha256",
                    conf.toRealPath() + ":13: source 'sensors': 'rule.env.filter' = 'sensors/#/data': not an MQTT"
                            + " topic filter",
                    conf.toRealPath() + ":15: source 'sensors': 'rule.env.id' = 'payload.sensor_id | level.2':"
                            + " 'level.2' is not payload.FIELD or topic.N",
                    conf.toRealPath() + ":16: source 'sensors': 'rule.env.colour' is not rule.NAME.FIELD with FIELD"
                            + " one of filter, path, id, metrics, ts",
                    conf.toRealPath() + ":17: source 'sensors': 'rule.power.path' rule 'power' needs"
                            + " rule.power.filter and rule.power.path");
        }
    }

    @Test
    void statusShowsEachSourcesHealthAsTheRunningGatewayLastWroteIt() throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,1,0
                """);
        final Path conf = dir.resolve("gateway.conf");
        final int closed = FreePorts.one();
        Files.writeString(conf, """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1:%d
                buffer.dir = buffer
                [source plc]
                type = opcua
                endpoint = opc.tcp://127.0.0.1:%d/plc
                node-map = nodes.csv
                timeout = 500ms
                [source sim]
                type = simulator
                cells = 1
                """.formatted(closed, closed));
        final Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("gateway.jar"), "run", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Files.exists(dir.resolve("buffer/sources.status"))
                            && Files.readString(dir.resolve("buffer/sources.status")).contains("plc: connecting ("));
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        final Run status = run("status", conf.toString());

        assertThat(status.exit()).isZero();
        // SIGTERM is a clean stop: the status says so instead of the last running state.
        assertThat(status.output()).contains("gateway stopped, mqtt connected=false",
                        "source sim: stopped (was: ok read-errors=0)")
                .containsPattern("source plc: stopped \\(was: connecting \\(.+\\) values=0 bad-status=0"
                        + " bad-values=0 ts-replaced=0 read-errors=0 connect-failures=[1-9]");
    }

    /** A gateway config with one Modbus-family source {@code name} of {@code type} on loopback {@code port}. */
    private Path deviceConf(final String name, final String type, final int port, final String more)
            throws Exception {
        final Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = acme
                plant = p1
                client-id = gw-1
                broker.url = tcp://127.0.0.1:1883
                [source %s]
                type = %s
                host = 127.0.0.1
                port = %d
                %s
                """.formatted(name, type, port, more));
        return conf;
    }

    @Test
    void checkProbeOfAnUnreachableDeviceNamesEachMapLineExits1AndLogsWithTimestamps() throws Exception {
        Files.writeString(dir.resolve("registers.csv"), """
                unit,function,address,type,word-order,byte-order,scale,offset,path,metric
                1,holding,0,uint16,,,0.001,0,racks/r1/cells/1,voltage
                """);
        final int closed = FreePorts.one();
        final Path conf = deviceConf("bms", "modbus-tcp", closed, "register-map = registers.csv");
        final ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("gateway.jar"), "check", "--probe", conf.toString())
                .redirectErrorStream(true);
        // Outside systemd's journal (which stamps lines itself) every log line starts with its time.
        builder.environment().remove("JOURNAL_STREAM");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).containsPattern("registers\\.csv:2 unit 1 holding 0 uint16 -> racks/r1/cells/1/voltage:"
                        + " cannot connect to modbus-tcp://127\\.0\\.0\\.1:" + closed + ": .*refused")
                .containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}.* INFO .*ModbusSource");
    }

    /** The SunSpec model JSON is read from the jar when the source opens, before the device is asked anything. */
    @Test
    void checkProbeOfASunspecSourceReadsItsModelsFromTheJarAndNamesAnUnreachableDevice() throws Exception {
        final int closed = FreePorts.one();
        final Path conf = deviceConf("battery", "sunspec", closed, "");

        final Run probe = run("check", "--probe", conf.toString());

        assertThat(probe.exit()).as(probe.output()).isEqualTo(1);
        assertThat(probe.output()).containsPattern("source battery \\(modbus-tcp://127\\.0\\.0\\.1:" + closed
                + "\\): SunSpec discovery failed: cannot connect to modbus-tcp://127\\.0\\.0\\.1:" + closed
                + ": .*refused").doesNotContain("\tat ");
    }

    @Test
    void checkAcceptsAGoodConfigAndStatusReadsTheBuffer() throws Exception {
        final Path conf = dir.resolve("gateway.conf");
        Files.writeString(conf, """
                tenant = acme
                plant = p1
                client-id = gw-acme-1
                broker.url = tcp://127.0.0.1:1883
                buffer.dir = buffer

                [source sim]
                type = simulator
                """);

        final Run check = run("check", conf.toString());
        final Run status = run("status", conf.toString());

        assertThat(check.exit()).isZero();
        assertThat(check.output()).contains("OK, 1 sources");
        assertThat(status.exit()).isZero();
        assertThat(status.output()).contains("unsent=0");
    }

    @Test
    void helpAndBareHelpPrintUsageToStdoutAndExitZero() throws Exception {
        for (final String asked : List.of("--help", "help")) {
            final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", System.getProperty("gateway.jar"), asked)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(asked).isZero();
            assertThat(stdout).as(asked).startsWith("usage: java -jar cellwatch-gateway.jar run|check|status");
        }
    }

    @Test
    void usageErrorExits64() throws Exception {
        final Run run = run("launch");

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.output()).contains("usage: java -jar cellwatch-gateway.jar run|check|status <gateway.conf>");
    }
}
