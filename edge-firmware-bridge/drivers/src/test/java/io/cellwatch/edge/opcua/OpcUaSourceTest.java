package io.cellwatch.edge.opcua;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.testing.opcua.TestPlc;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The OPC-UA source against a real Milo server on loopback, without cellwatch: what it hands to the buffer. */
@Timeout(120)
class OpcUaSourceTest {

    private static final String CELL = "tenants/acme/plants/p1/racks/r1/cells/1";
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01

    @TempDir
    Path dir;

    private TestPlc plc;
    private OpcUaSource source;
    private final List<NodeReading> buffered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startPlc() throws Exception {
        plc = new TestPlc(dir)
                .variable(1001, "Voltage", Identifiers.Double, 3.5)
                .variable(1002, "Temperature", Identifiers.Float, 20.0f)
                .variable(1003, "Count", Identifiers.UInt16, UShort.valueOf(7))
                .variable(1004, "Contactor", Identifiers.Boolean, true)
                .variable(1005, "Label", Identifiers.String, "not a number")
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        if (source != null) {
            source.close();
        }
        plc.close();
    }

    private OpcUaSource source(final boolean subscribe) {
        final List<NodeSpec> nodes = List.of(
                new NodeSpec(2, "ns=2;i=1001", List.of(), "racks/r1/cells/1", "voltage", 1, 0),
                new NodeSpec(3, "/2:Battery/2:Temperature", List.of("2:Battery", "2:Temperature"),
                        "racks/r1/cells/1", "temperature", 0.1, -40),
                new NodeSpec(4, "ns=2;i=1003", List.of(), "racks/r1", "count", 1, 0),
                new NodeSpec(5, "ns=2;i=1004", List.of(), "racks/r1", "contactor", 1, 0),
                new NodeSpec(6, "ns=2;i=1005", List.of(), "racks/r1", "label", 1, 0));
        final OpcUaSettings settings = new OpcUaSettings("plc", plc.endpoint(), "none", "none", null, null,
                dir.resolve("pki"), subscribe, Duration.ofMillis(50), Duration.ofMillis(100), 0,
                Duration.ofMillis(200), Duration.ofSeconds(5), nodes, dir.resolve("nodes.csv"));
        source = new OpcUaSource(settings, TopicBuilder.tenant("acme").child("plants", "p1"), "gw-1",
                Clock.systemUTC());
        source.onChange(buffered::add);
        source.start();
        return source;
    }

    private List<Double> values(final String node, final String metric) {
        return buffered.stream().filter(r -> r.node().equals(node) && r.names().contains(metric))
                .map(r -> r.values()[r.names().indexOf(metric)]).toList();
    }

    @Test
    void monitoredItemsDeliverEveryChangeOfEveryNumericTypeScaledWithTheSourceTime() throws Exception {
        source(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> values(CELL, "voltage").contains(3.5)
                && !values("tenants/acme/plants/p1/racks/r1", "contactor").isEmpty());
        assertThat(values(CELL, "temperature")).containsExactly(20.0 * 0.1 - 40);
        assertThat(values("tenants/acme/plants/p1/racks/r1", "count")).containsExactly(7.0);
        assertThat(values("tenants/acme/plants/p1/racks/r1", "contactor")).containsExactly(1.0);
        assertThat(values("tenants/acme/plants/p1/racks/r1", "label")).isEmpty();

        for (int i = 1; i <= 5; i++) {
            final double v = 3.5 + i / 100.0;
            plc.set(1001, v, T0 + i * 1000);
            await().atMost(Duration.ofSeconds(30)).until(() -> values(CELL, "voltage").contains(v));
        }
        assertThat(values(CELL, "voltage")).containsExactly(3.5, 3.51, 3.52, 3.53, 3.54, 3.55);
        final NodeReading last = buffered.stream().filter(r -> r.names().contains("voltage")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(last.ts()).isEqualTo(T0 + 5000);
        assertThat(source.health().state()).isEqualTo("ok");
        assertThat(source.health().counters()).containsEntry("bad-values", 1L).containsEntry("bad-status", 0L);
    }

    @Test
    void aValueWithBadStatusIsCountedForItsNodeAndNeverPublished() throws Exception {
        source(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> values(CELL, "voltage").contains(3.5));
        plc.setBad(1001, StatusCodes.Bad_SensorFailure);
        await().atMost(Duration.ofSeconds(30)).until(() -> source.badStatusByNode().get("ns=2;i=1001") >= 1);
        plc.set(1001, 3.7, T0 + 9000);
        await().atMost(Duration.ofSeconds(30)).until(() -> values(CELL, "voltage").contains(3.7));

        assertThat(values(CELL, "voltage")).containsExactly(3.5, 3.7);
        assertThat(source.badStatusByNode()).containsEntry("ns=2;i=1001", 1L)
                .containsEntry("/2:Battery/2:Temperature", 0L);
        assertThat(source.health().counters()).containsEntry("bad-status", 1L);
    }

    @Test
    void pollingReadsEveryNodeOnEachPollAndPublishesASampleOnce() throws Exception {
        source(false);
        await().atMost(Duration.ofSeconds(30)).until(source::connected);
        assertThat(source.poll(System.currentTimeMillis())).isNotEmpty();
        plc.set(1001, 3.9, T0 + 1000);
        final List<NodeReading> first = source.poll(System.currentTimeMillis());
        final List<NodeReading> second = source.poll(System.currentTimeMillis());

        assertThat(first).anySatisfy(r -> {
            assertThat(r.node()).isEqualTo(CELL);
            assertThat(r.names()).contains("voltage");
            assertThat(r.ts()).isEqualTo(T0 + 1000);
        });
        // The same sample (same device time and value) is not published again by the next poll.
        assertThat(second).noneSatisfy(r -> assertThat(r.names()).contains("voltage"));
        assertThat(buffered).isEmpty();
    }
}
