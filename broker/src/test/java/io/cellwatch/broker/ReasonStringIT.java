package io.cellwatch.broker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every malformed payload class that makes cellwatch answer with a reason string, sent on a raw socket and its
 * PUBACK decoded strictly: the reason string is well-formed UTF-8 with no U+0000, no control character and no BOM,
 * at most 100 characters, and the connection stays up.
 */
@Timeout(120)
class ReasonStringIT {

    private static final String VOLTAGE = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1/voltage";
    private static final String CELL = "tenants/acme/plants/p1/racks/r1/packs/k1/cells/1";

    @TempDir
    static Path dir;
    static CellwatchServer server;
    static RawMqtt5Connection gateway;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dir);
        gateway = RawMqtt5Connection.open(server.mqttPort(), TestAccess.ACME_GATEWAY, TestAccess.ACME_GATEWAY);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> reasonStringsAreValidShortAndPrintable() {
        final byte[] tenKilobytes = new byte[10_000];
        Arrays.fill(tenKilobytes, (byte) 'x');
        final Map<String, byte[][]> cases = new LinkedHashMap<>();
        cases.put("NUL bytes in a number", new byte[][] {bytes(VOLTAGE), "3.7\u0000\u0000junk".getBytes(StandardCharsets.UTF_8)});
        cases.put("a BOM before a number", new byte[][] {bytes(VOLTAGE), "\uFEFF3.7".getBytes(StandardCharsets.UTF_8)});
        cases.put("invalid UTF-8", new byte[][] {bytes(VOLTAGE), {'3', (byte) 0xC3, 0x28, (byte) 0xFF}});
        cases.put("control characters in JSON", new byte[][] {bytes(CELL), "{\"v\u0007\u001b[2J\":x}".getBytes(StandardCharsets.UTF_8)});
        cases.put("a 1 MB payload", new byte[][] {bytes(VOLTAGE), new byte[1024 * 1024]});
        cases.put("a 10 kB value", new byte[][] {bytes(VOLTAGE), ("{\"v\":\"" + new String(tenKilobytes, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.UTF_8)});
        cases.put("a 10 kB number", new byte[][] {bytes(VOLTAGE), tenKilobytes});
        cases.put("a NUL in a node field name", new byte[][] {bytes(CELL), "{\"volt\u0000age\":\"x\"}".getBytes(StandardCharsets.UTF_8)});
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            final String topic = new String(c.getValue()[0], StandardCharsets.UTF_8);
            final RawMqtt5Connection.PubAck ack = gateway.publishQos1(topic, c.getValue()[1]);

            assertThat(ack.reasonCode()).as("refused").isGreaterThanOrEqualTo(0x80);
            assertThat(ack.reasonString()).isNotNull().hasSizeLessThanOrEqualTo(100);
            ack.reasonString().codePoints().forEach(cp -> {
                assertThat(Character.isISOControl(cp)).as("control U+%04X", cp).isFalse();
                assertThat(cp).as("BOM").isNotEqualTo(0xFEFF);
            });
            assertThat(gateway.ping()).isTrue();
        }));
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
