package io.cellwatch.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void usageErrorExits64() throws Exception {
        final Run run = run("launch");

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.output()).contains("usage: java -jar cellwatch-gateway.jar run|check|status <gateway.conf>");
    }
}
