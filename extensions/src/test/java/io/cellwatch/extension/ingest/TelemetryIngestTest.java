package io.cellwatch.extension.ingest;

import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.cellwatch.contract.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;

class TelemetryIngestTest {

    private static final GatewayKey GATEWAY = new GatewayKey("t1", "gw-1", "gw-1");
    private static final String CELL = "tenants/t1/plants/p1/racks/r1/packs/k1/cells/7";
    private static final String VOLTAGE = CELL + "/voltage";
    private static final long TS = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
    private static final long OTHER_TS = Instant.parse("2025-02-03T04:05:06Z").toEpochMilli();

    private record Received(Series series, Sample sample, GatewayKey gateway) {
    }

    private final List<Received> received = new ArrayList<>();
    private final SeriesCatalog catalog = new SeriesCatalog();
    private final IngestMetrics metrics = new IngestMetrics(Metrics.create());
    private final TelemetryIngest ingest = new TelemetryIngest(catalog, new GatewayRegistry(g -> { }),
            new TopicResolver(32), new PayloadParser(65536), metrics, publish -> {
                for (int i = 0; i < publish.size(); i++) {
                    received.add(new Received(publish.series()[i], publish.sample(i), publish.gateway().key()));
                }
            });

    private static ByteBuffer utf8(final String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private int publish(final String topic, final String payload) throws Rejection {
        return ingest.ingest(GATEWAY, topic, utf8(payload), null, null);
    }

    private int publish(final String topic, final String payload, final String tsProperty, final String seqProperty)
            throws Rejection {
        return ingest.ingest(GATEWAY, topic, utf8(payload), tsProperty, seqProperty);
    }

    private Rejection rejection(final String topic, final String payload) {
        return rejected(() -> publish(topic, payload));
    }

    private long totalRejected() {
        long total = 0;
        for (final RejectReason reason : RejectReason.values()) {
            total += metrics.rejectedCount(reason);
        }
        return total;
    }

    private Sample onlySample() {
        assertThat(received).hasSize(1);
        return received.get(0).sample();
    }

    // --- metric leaves ------------------------------------------------------------------------------------------

    @Test
    void metricLeafCreatesTheSeries() throws Rejection {
        final int accepted = publish(VOLTAGE, "3.671");

        assertThat(accepted).isEqualTo(1);
        assertThat(catalog.series(VOLTAGE)).isNotNull();
        assertThat(catalog.size()).isEqualTo(1);
    }

    @Test
    void metricLeafCreatesTheNodeAndItsAncestors() throws Rejection {
        publish(VOLTAGE, "3.671");

        assertThat(catalog.node(CELL)).isNotNull();
        assertThat(catalog.node("tenants/t1/plants/p1")).isNotNull();
        assertThat(catalog.node(CELL).metrics()).extracting(Series::metric).containsExactly("voltage");
    }

    @Test
    void metricLeafHandsTheSampleToTheSink() throws Rejection {
        final long before = System.currentTimeMillis();

        publish(VOLTAGE, "{\"v\":3.671,\"ts\":" + TS + ",\"seq\":42}");

        final long after = System.currentTimeMillis();
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.series()).isSameAs(catalog.series(VOLTAGE));
            assertThat(r.gateway()).isEqualTo(GATEWAY);
            assertThat(r.sample().value()).isEqualTo(3.671);
            assertThat(r.sample().ts()).isEqualTo(TS);
            assertThat(r.sample().seq()).isEqualTo(42);
            assertThat(r.sample().receivedAt()).isBetween(before, after);
        });
        assertThat(metrics.samplesAccepted()).isEqualTo(1);
    }

    @Test
    void secondPublishToAKnownMetricReusesTheSeries() throws Rejection {
        publish(VOLTAGE, "3.6");
        publish(VOLTAGE, "3.7");

        assertThat(catalog.size()).isEqualTo(1);
        assertThat(received).extracting(Received::series).containsOnly(catalog.series(VOLTAGE));
        assertThat(metrics.samplesAccepted()).isEqualTo(2);
    }

    @Test
    void sampleWithoutSeqHasNoSeq() throws Rejection {
        publish(VOLTAGE, "3.6");

        assertThat(onlySample().seq()).isEqualTo(ParsedPayload.NO_SEQ);
    }

    // --- node payloads ------------------------------------------------------------------------------------------

    @Test
    void nodePayloadCreatesOneSeriesPerNumericField() throws Rejection {
        final int accepted = publish(CELL, "{\"voltage\":3.67,\"temperature\":29.1,\"soc\":0.82,\"label\":\"x\"}");

        assertThat(accepted).isEqualTo(3);
        assertThat(catalog.under(CELL)).extracting(Series::key)
                .containsExactlyInAnyOrder(CELL + "/voltage", CELL + "/temperature", CELL + "/soc");
        assertThat(catalog.series(CELL + "/label")).isNull();
    }

    @Test
    void nodePayloadHandsEveryMetricToTheSinkWithOneTsAndSeq() throws Rejection {
        publish(CELL, "{\"voltage\":3.67,\"soc\":0.82,\"ts\":" + TS + ",\"seq\":9}");

        assertThat(received).extracting(r -> r.series().metric()).containsExactly("voltage", "soc");
        assertThat(received).extracting(r -> r.sample().value()).containsExactly(3.67, 0.82);
        assertThat(received).extracting(r -> r.sample().ts()).containsOnly(TS);
        assertThat(received).extracting(r -> r.sample().seq()).containsOnly(9L);
        assertThat(metrics.samplesAccepted()).isEqualTo(2);
    }

    @Test
    void nodePayloadOnAKnownNodeAddsNewMetrics() throws Rejection {
        publish(CELL, "{\"voltage\":3.67}");
        publish(CELL, "{\"voltage\":3.68,\"soc\":0.8}");

        assertThat(catalog.under(CELL)).extracting(Series::metric).containsExactlyInAnyOrder("voltage", "soc");
        assertThat(received).hasSize(3);
    }

    @Test
    void metricTopicOfASeriesDiscoveredByANodePayloadIsTheSameSeries() throws Rejection {
        publish(CELL, "{\"voltage\":3.67}");
        final Series fromNode = catalog.series(VOLTAGE);

        publish(VOLTAGE, "3.5");

        assertThat(catalog.size()).isEqualTo(1);
        assertThat(received.get(1).series()).isSameAs(fromNode);
    }

    @Test
    void tenantNodePayloadCreatesSeriesUnderTheTenant() throws Rejection {
        publish("tenants/t1", "{\"uptime\":5}");

        assertThat(catalog.series("tenants/t1/uptime")).isNotNull();
    }

    // --- rejections ---------------------------------------------------------------------------------------------

    @Test
    void malformedMetricPayloadOnANewTopicCreatesNoSeries() {
        final Rejection rejection = rejection(VOLTAGE, "abc");

        assertThat(rejection.reason()).isEqualTo(RejectReason.NOT_A_NUMBER);
        assertThat(catalog.size()).isZero();
        assertThat(catalog.node(CELL)).isNull();
        assertThat(catalog.node("tenants/t1")).isNull();
        assertThat(received).isEmpty();
    }

    @Test
    void malformedMetricPayloadIsCountedUnderItsReason() {
        rejection(VOLTAGE, "abc");

        assertThat(metrics.rejectedCount(RejectReason.NOT_A_NUMBER)).isEqualTo(1);
        assertThat(totalRejected()).isEqualTo(1);
        assertThat(metrics.samplesAccepted()).isZero();
    }

    @Test
    void malformedNodePayloadOnANewTopicCreatesNoNode() {
        final Rejection rejection = rejection(CELL, "{\"voltage\":3.6");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(catalog.node(CELL)).isNull();
        assertThat(catalog.root().children()).isEmpty();
        assertThat(metrics.rejectedCount(RejectReason.BAD_JSON)).isEqualTo(1);
    }

    @Test
    void nodePayloadWithoutMetricsCreatesNoNode() {
        rejection(CELL, "{\"label\":\"x\"}");

        assertThat(catalog.node(CELL)).isNull();
        assertThat(metrics.rejectedCount(RejectReason.NO_METRICS)).isEqualTo(1);
    }

    @Test
    void nodePayloadWithAnInvalidMetricNameCreatesNoSeries() {
        final Rejection rejection = rejection(CELL, "{\"voltage\":3.6,\"cell temp\":20}");

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(catalog.size()).isZero();
        assertThat(catalog.node(CELL)).isNull();
        assertThat(received).isEmpty();
    }

    @Test
    void nonFiniteValueOnAKnownSeriesIsRejectedAndCounted() throws Rejection {
        publish(VOLTAGE, "3.6");

        final Rejection rejection = rejection(VOLTAGE, "NaN");

        assertThat(rejection.reason()).isEqualTo(RejectReason.NON_FINITE);
        assertThat(metrics.rejectedCount(RejectReason.NON_FINITE)).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    @Test
    void nodePayloadOnAKnownNodeIsStillValidated() throws Rejection {
        publish(CELL, "{\"voltage\":3.6}");

        assertThat(rejection(CELL, "3.6").reason()).isEqualTo(RejectReason.BAD_JSON);
        assertThat(metrics.rejectedCount(RejectReason.BAD_JSON)).isEqualTo(1);
    }

    @Test
    void emptyPayloadIsCountedAsEmpty() {
        rejected(() -> ingest.ingest(GATEWAY, VOLTAGE, ByteBuffer.allocate(0), null, null));

        assertThat(metrics.rejectedCount(RejectReason.EMPTY_PAYLOAD)).isEqualTo(1);
    }

    @Test
    void malformedTopicIsCountedUnderItsReason() {
        assertThat(rejection("tenants/t1//cells/7/voltage", "3.6").reason()).isEqualTo(RejectReason.EMPTY_LEVEL);
        assertThat(rejection("tenants/t1/plants/p 1/voltage", "3.6").reason()).isEqualTo(RejectReason.BAD_TOPIC);

        assertThat(metrics.rejectedCount(RejectReason.EMPTY_LEVEL)).isEqualTo(1);
        assertThat(metrics.rejectedCount(RejectReason.BAD_TOPIC)).isEqualTo(1);
        assertThat(catalog.root().children()).isEmpty();
    }

    @Test
    void badSeqPropertyIsRejectedAndCounted() {
        final Rejection rejection = rejected(() -> publish(VOLTAGE, "3.6", null, "x"));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_SEQ);
        assertThat(metrics.rejectedCount(RejectReason.BAD_SEQ)).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    /**
     * The class promises "a malformed publish never grows the tree", but the seq user property is parsed in
     * acceptMetric/acceptNode, after internNode/internSeries have run.
     */
    @Test
    void badSeqPropertyOnANewMetricTopicCreatesNoSeries() {
        rejected(() -> publish(VOLTAGE, "3.6", null, "-5"));

        assertThat(catalog.size()).isZero();
        assertThat(catalog.node(CELL)).isNull();
    }

    @Test
    void badSeqPropertyOnANewNodeTopicCreatesNoNode() {
        rejected(() -> publish(CELL, "{\"voltage\":3.6}", null, "x"));

        assertThat(catalog.node(CELL)).isNull();
    }

    // --- not telemetry ------------------------------------------------------------------------------------------

    @Test
    void topicOutsideTenantsReturnsZeroAndRecordsNothing() throws Rejection {
        final int accepted = publish("factory/line1/status", "anything at all");

        assertThat(accepted).isZero();
        assertThat(received).isEmpty();
        assertThat(catalog.size()).isZero();
        assertThat(catalog.root().children()).isEmpty();
        assertThat(totalRejected()).isZero();
        assertThat(metrics.samplesAccepted()).isZero();
    }

    @Test
    void reservedTopicReturnsZeroAndRecordsNothing() throws Rejection {
        final int accepted = publish("tenants/t1/gateways/g1/status", "online");

        assertThat(accepted).isZero();
        assertThat(received).isEmpty();
        assertThat(catalog.node("tenants/t1")).isNull();
        assertThat(totalRejected()).isZero();
    }

    @Test
    void plantMetaIsNotTelemetry() throws Rejection {
        assertThat(publish("tenants/t1/plants/p1/meta", "{\"name\":\"Plant 1\",\"lat\":48.1,\"lon\":11.6}")).isZero();
        assertThat(catalog.size()).isZero();
    }

    /** catalog.node("") is the root, so the empty topic is treated as a known node and gets series "/voltage". */
    @Test
    void emptyTopicIsNotTelemetry() throws Rejection {
        assertThat(publish("", "{\"voltage\":3.6}")).isZero();
        assertThat(catalog.size()).isZero();
    }

    // --- device time --------------------------------------------------------------------------------------------

    @Test
    void plausibleDeviceTimeIsKept() throws Rejection {
        publish(VOLTAGE, "{\"v\":1,\"ts\":" + TS + "}");

        assertThat(onlySample().ts()).isEqualTo(TS);
        assertThat(metrics.tsReplacedCount()).isZero();
    }

    @Test
    void deviceTimeFromYear2001IsReplacedByServerTime() throws Rejection {
        final long before = System.currentTimeMillis();

        publish(VOLTAGE, "{\"v\":1,\"ts\":\"2001-06-01T00:00:00Z\"}");

        assertThat(onlySample().ts()).isBetween(before, System.currentTimeMillis());
        assertThat(onlySample().ts()).isEqualTo(onlySample().receivedAt());
        assertThat(metrics.tsReplacedCount()).isEqualTo(1);
    }

    @Test
    void deviceTimeFromYear2100IsReplacedByServerTime() throws Rejection {
        final long before = System.currentTimeMillis();
        final long ts2100 = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

        publish(VOLTAGE, "{\"v\":1,\"ts\":" + ts2100 + "}");

        assertThat(onlySample().ts()).isBetween(before, System.currentTimeMillis());
        assertThat(metrics.tsReplacedCount()).isEqualTo(1);
    }

    @Test
    void implausibleNodeTsIsReplacedByServerTime() throws Rejection {
        final long before = System.currentTimeMillis();

        publish(CELL, "{\"voltage\":3.6,\"soc\":0.5,\"ts\":\"2001-06-01T00:00:00Z\"}");

        assertThat(received).extracting(r -> r.sample().ts())
                .allSatisfy(ts -> assertThat(ts).isBetween(before, System.currentTimeMillis()));
        assertThat(metrics.tsReplacedCount()).isPositive();
    }

    @Test
    void deviceTimeSlightlyAheadOfTheServerIsKept() throws Rejection {
        final long ahead = System.currentTimeMillis() + 10 * 60_000;

        publish(VOLTAGE, "{\"v\":1,\"ts\":" + ahead + "}");

        assertThat(onlySample().ts()).isEqualTo(ahead);
    }

    @Test
    void missingDeviceTimeIsReplacedByServerTimeAndCounted() throws Rejection {
        final long before = System.currentTimeMillis();

        publish(VOLTAGE, "3.6");

        assertThat(onlySample().ts()).isBetween(before, System.currentTimeMillis());
        assertThat(metrics.tsReplacedCount()).isEqualTo(1);
    }

    // --- MQTT 5 user properties ---------------------------------------------------------------------------------

    @Test
    void tsAndSeqPropertiesAreUsedWhenThePayloadHasNone() throws Rejection {
        publish(VOLTAGE, "3.6", "2024-05-01T12:00:00Z", "42");

        assertThat(onlySample().ts()).isEqualTo(TS);
        assertThat(onlySample().seq()).isEqualTo(42);
        assertThat(metrics.tsReplacedCount()).isZero();
    }

    @Test
    void epochMillisTsPropertyIsUsed() throws Rejection {
        publish(VOLTAGE, "3.6", Long.toString(TS), null);

        assertThat(onlySample().ts()).isEqualTo(TS);
    }

    @Test
    void propertiesAreUsedForNodePayloads() throws Rejection {
        publish(CELL, "{\"voltage\":3.6,\"soc\":0.5}", Long.toString(TS), "8");

        assertThat(received).extracting(r -> r.sample().ts()).containsOnly(TS);
        assertThat(received).extracting(r -> r.sample().seq()).containsOnly(8L);
    }

    @Test
    void payloadTsAndSeqWinOverProperties() throws Rejection {
        publish(VOLTAGE, "{\"v\":3.6,\"ts\":" + TS + ",\"seq\":7}", Long.toString(OTHER_TS), "99");

        assertThat(onlySample().ts()).isEqualTo(TS);
        assertThat(onlySample().seq()).isEqualTo(7);
    }

    @Test
    void payloadTsAndSeqWinOverPropertiesForNodePayloads() throws Rejection {
        publish(CELL, "{\"voltage\":3.6,\"ts\":\"2024-05-01T12:00:00Z\",\"seq\":7}", Long.toString(OTHER_TS), "99");

        assertThat(onlySample().ts()).isEqualTo(TS);
        assertThat(onlySample().seq()).isEqualTo(7);
    }

    @Test
    void payloadSeqWinsWhileTsComesFromTheProperty() throws Rejection {
        publish(VOLTAGE, "{\"v\":3.6,\"seq\":7}", Long.toString(OTHER_TS), "99");

        assertThat(onlySample().ts()).isEqualTo(OTHER_TS);
        assertThat(onlySample().seq()).isEqualTo(7);
    }

    @Test
    void unreadableTsPropertyFallsBackToServerTime() throws Rejection {
        final long before = System.currentTimeMillis();

        publish(VOLTAGE, "3.6", "not a time", null);

        assertThat(onlySample().ts()).isBetween(before, System.currentTimeMillis());
        assertThat(metrics.tsReplacedCount()).isEqualTo(1);
    }

    // --- gateway retries --------------------------------------------------------------------------------------

    @Test
    void publishWithASeqAlreadyAcceptedIsDroppedAndCounted() throws Rejection {
        publish(VOLTAGE, "{\"v\":3.6,\"seq\":7}");

        assertThat(publish(VOLTAGE, "{\"v\":3.9,\"seq\":7}")).isZero();

        assertThat(received).hasSize(1);
        assertThat(metrics.duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void publishWithASeqBelowTheHighestAcceptedIsDropped() throws Rejection {
        publish(CELL, "{\"voltage\":3.6,\"seq\":10}");

        assertThat(publish(CELL, "{\"voltage\":3.6,\"seq\":9}")).isZero();
        assertThat(received).hasSize(1);
    }

    @Test
    void anotherUsersHugeSeqUnderTheSameClientIdLeavesTheGatewaysGuardAlone() throws Rejection {
        publish(VOLTAGE, "{\"v\":3.6,\"seq\":7}");
        ingest.ingest(new GatewayKey("t2", "mallory", GATEWAY.clientId()),
                "tenants/t2/plants/p1/voltage", utf8("{\"v\":1,\"seq\":999999999}"), null, null);

        assertThat(publish(VOLTAGE, "{\"v\":3.7,\"seq\":8}")).isEqualTo(1);
        assertThat(metrics.duplicatesDropped()).isZero();
    }

    @Test
    void sameSeqFromAnotherGatewayIsAccepted() throws Rejection {
        publish(VOLTAGE, "{\"v\":3.6,\"seq\":7}");

        assertThat(ingest.ingest(new GatewayKey("t1", "gw-2", "gw-2"), VOLTAGE, utf8("{\"v\":3.7,\"seq\":7}"), null, null)).isEqualTo(1);
        assertThat(metrics.duplicatesDropped()).isZero();
    }

    @Test
    void publishesWithoutSeqAreNeverDeduplicated() throws Rejection {
        publish(VOLTAGE, "3.6");
        publish(VOLTAGE, "3.6");

        assertThat(received).hasSize(2);
    }

    // --- the synthetic probe's internal tenant ------------------------------------------------------------------

    @Test
    void theProbesSampleIsStoredButNotCountedAsADevicesSample() throws Rejection {
        final int accepted = ingest.ingest(io.cellwatch.extension.security.ProbeLogin.gateway(),
                io.cellwatch.contract.TopicBuilder.probe(), utf8("{\"v\":1,\"seq\":5}"), null, null);

        assertThat(accepted).isEqualTo(1);
        assertThat(received).singleElement().satisfies(r -> assertThat(r.series().node().internal()).isTrue());
        assertThat(metrics.samplesAccepted()).isZero();
    }

    @Test
    void noMappedTopicReachesTheProbesInternalTenant() {
        final Rejection rejection = rejected(() -> ingest.ingestNode(GATEWAY, "tenants/~cellwatch/probes/e2e",
                new String[]{"sample"}, new double[]{1}, System.currentTimeMillis()));

        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_TOPIC);
        assertThat(rejection.getMessage()).contains("reserved tenant '~cellwatch'");
        assertThat(received).isEmpty();
        assertThat(catalog.series("tenants/~cellwatch/probes/e2e/sample")).isNull();
    }
}
