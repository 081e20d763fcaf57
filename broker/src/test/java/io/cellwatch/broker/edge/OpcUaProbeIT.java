package io.cellwatch.broker.edge;

import io.cellwatch.edge.app.GatewayMain;
import io.cellwatch.testing.opcua.TestPlc;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check --probe} against a real OPC-UA server ({@link TestPlc}): every node map line resolved once. */
@Timeout(120)
class OpcUaProbeIT {

    @TempDir
    Path dir;

    private TestPlc plc;

    @BeforeEach
    void startPlc() throws Exception {
        plc = new TestPlc(dir)
                .variable(1001, "Voltage", Identifiers.Double, 3.5)
                .variable(1002, "Temperature", Identifiers.Float, 25.5f)
                .start();
    }

    @AfterEach
    void stopPlc() throws Exception {
        plc.close();
    }

    @Test
    void checkProbeNamesTheMapLineOfAMissingNodeIdAndOfAnUnresolvedBrowsePath() throws Exception {
        Files.writeString(dir.resolve("nodes.csv"), """
                node,path,metric,scale,offset
                ns=2;i=1001,racks/r1/cells/1,voltage,,
                ns=2;i=1999,racks/r1/cells/1,soc,,
                /2:Battery/2:Temperature,racks/r1/cells/1,temperature,,
                /2:Battery/2:Humidity,racks/r1,humidity,,
                """);
        final Path conf = GatewayFiles.write(dir, 1883, """
                [source plc]
                type = opcua
                endpoint = %s
                node-map = nodes.csv
                """.formatted(plc.endpoint()));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int exit = GatewayMain.run(new String[]{"check", "--probe", conf.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        final String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).as(report + err).contains(
                "nodes.csv:2 ns=2;i=1001 -> racks/r1/cells/1/voltage: OK 3.5",
                "nodes.csv:3 ns=2;i=1999 -> racks/r1/cells/1/soc: Bad_NodeIdUnknown",
                "nodes.csv:4 /2:Battery/2:Temperature -> racks/r1/cells/1/temperature: OK 25.5",
                "nodes.csv:5 /2:Battery/2:Humidity -> racks/r1/humidity: browse path not found (Bad_NoMatch)",
                "source plc: 2 of 4 map lines are not read by run");
        assertThat(exit).isEqualTo(1);
    }
}
