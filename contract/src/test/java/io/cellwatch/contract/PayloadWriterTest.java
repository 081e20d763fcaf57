package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadWriterTest {

    private final PayloadParser parser = new PayloadParser(65536);

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesMetricPayloadTheParserReadsBack() throws Rejection {
        final String json = PayloadWriter.metric(3.671, 1_714_564_800_000L, 42);

        assertThat(json).isEqualTo("{\"v\":3.671,\"ts\":1714564800000,\"seq\":42}");
        final ParsedPayload parsed = parser.parseMetric(utf8(json));
        assertThat(parsed.values()).containsExactly(3.671);
        assertThat(parsed.ts()).isEqualTo(1_714_564_800_000L);
        assertThat(parsed.seq()).isEqualTo(42);
    }

    @Test
    void writesBareMetricTheParserReadsBack() throws Rejection {
        assertThat(PayloadWriter.bareMetric(3.671)).isEqualTo("3.671");
        assertThat(parser.parseMetric(utf8(PayloadWriter.bareMetric(-0.25))).values()).containsExactly(-0.25);
    }

    @Test
    void leavesOutAbsentTsAndSeq() {
        assertThat(PayloadWriter.metric(2.5, ParsedPayload.NO_TS, ParsedPayload.NO_SEQ)).isEqualTo("{\"v\":2.5}");
    }

    @Test
    void writesNodePayloadTheParserReadsBackInOrder() throws Rejection {
        final double[] values = {3.6712, 29.1, 0.82, 1e-7, 12345678901.5, -4};
        final String json = PayloadWriter.node(List.of("voltage", "temperature", "soc", "tiny", "big", "current"),
                values, 1_714_564_800_000L, 7);

        final ParsedPayload parsed = parser.parseNode(utf8(json));
        assertThat(parsed.names()).containsExactly("voltage", "temperature", "soc", "tiny", "big", "current");
        assertThat(parsed.values()).containsExactly(values);
        assertThat(parsed.ts()).isEqualTo(1_714_564_800_000L);
        assertThat(parsed.seq()).isEqualTo(7);
        assertThat(json).startsWith("{\"voltage\":3.6712,\"temperature\":29.1,\"soc\":0.82,");
        assertThat(json).contains("\"current\":-4,");
    }

    @Test
    void refusesWhatTheBrokerWouldRefuse() {
        assertThatThrownBy(() -> PayloadWriter.metric(Double.NaN, ParsedPayload.NO_TS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'v' is not finite: NaN");
        assertThatThrownBy(() -> PayloadWriter.metric(1, ParsedPayload.NO_TS, -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("seq -5 is not a non-negative integer");
        assertThatThrownBy(() -> PayloadWriter.node(List.of("status"), new double[]{1}, ParsedPayload.NO_TS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("metric name 'status' is reserved");
        assertThatThrownBy(() -> PayloadWriter.node(List.of("seq"), new double[]{1}, ParsedPayload.NO_TS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("metric name 'seq' is not allowed");
        assertThatThrownBy(() -> PayloadWriter.node(List.of("a", "a"), new double[]{1, 2}, ParsedPayload.NO_TS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("metric 'a' appears twice");
        assertThatThrownBy(() -> PayloadWriter.node(List.of("a"), new double[]{1, 2}, ParsedPayload.NO_TS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 metric names for 2 values");
        assertThatThrownBy(() -> PayloadWriter.node(List.of(), new double[0], ParsedPayload.NO_TS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a node payload needs at least one metric");
    }

    @Test
    void escapesPlantNameInMetadata() {
        assertThat(PayloadWriter.plantMeta("Rotterdam \"harbour\"", 51.949, 4.1453))
                .isEqualTo("{\"name\":\"Rotterdam \\\"harbour\\\"\",\"lat\":51.949,\"lon\":4.1453}");
    }

    @Test
    void plantMetadataNamingGatewaysReadsBackTheSameGateways() {
        final String meta = PayloadWriter.plantMeta("P", 1.0, 2.0, List.of("gw-acme-1", "gw \"2\""));
        assertThat(meta).isEqualTo("{\"name\":\"P\",\"lat\":1,\"lon\":2,"
                + "\"gateways\":[\"gw-acme-1\",\"gw \\\"2\\\"\"]}");
        assertThat(PlantMeta.parse("tenants/a/plants/p", ByteBuffer.wrap(meta.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new PlantMeta("tenants/a/plants/p", "P", 1.0, 2.0, List.of("gw-acme-1", "gw \"2\""), null,
                        null));
    }

    @Test
    void writesGatewayStatusWithEscapedNames() {
        assertThat(PayloadWriter.gatewayStatus("gw\"1", "gw-acme-1", "offline", "will", 1000, 900))
                .isEqualTo("{\"gateway\":\"gw\\\"1\",\"user\":\"gw-acme-1\",\"state\":\"offline\","
                        + "\"cause\":\"will\",\"since\":1000,\"lastSeen\":900}");
    }

    @Test
    void alertCarriesItsLifecycleAndLeavesOutWhatHasNotHappened() {
        final AlertMessage raised = new AlertMessage("hot~0a", "acme", "hot", "threshold", "critical",
                "tenants/acme/cells/1/temperature", "raised", 46.5, 45, 1000, 0, null, 0, 1, 1000);
        assertThat(PayloadWriter.alert(raised)).isEqualTo("{\"id\":\"hot~0a\",\"tenant\":\"acme\",\"rule\":\"hot\","
                + "\"kind\":\"threshold\",\"severity\":\"critical\",\"subject\":\"tenants/acme/cells/1/temperature\","
                + "\"state\":\"raised\",\"value\":46.5,\"threshold\":45,\"raisedAt\":1000,\"raises\":1,\"at\":1000}");
        final AlertMessage cleared = new AlertMessage("hot~0a", "acme", "hot", "threshold", "critical", "s",
                "cleared", Double.NaN, 45, 1000, 2000, "al\"ice", 3000, 1, 3000);
        assertThat(PayloadWriter.alert(cleared)).contains("\"value\":null", "\"acknowledgedAt\":2000",
                "\"acknowledgedBy\":\"al\\\"ice\"", "\"clearedAt\":3000");
        assertThat(PayloadWriter.alertWebhook(cleared)).startsWith("{\"type\":\"alert\",\"event\":\"cleared\","
                + "\"delivery\":\"acme/hot~0a/1/cleared\",\"alert\":{\"id\":\"hot~0a\"");
    }
}
