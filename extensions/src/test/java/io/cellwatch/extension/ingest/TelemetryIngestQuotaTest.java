package io.cellwatch.extension.ingest;

import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.ManualClock;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.quota.QuotaMetrics;
import io.cellwatch.extension.quota.TenantLimits;
import io.cellwatch.extension.quota.TenantQuotas;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.cellwatch.contract.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/** The publish path held to tenant quotas: a refused publish adds no series and no node, not even in part. */
class TelemetryIngestQuotaTest {

    private static final GatewayKey ACME = new GatewayKey("acme", "gw-1", "gw-1");
    private static final GatewayKey NORDVOLT = new GatewayKey("nordvolt", "gw-2", "gw-2");
    private static final String CELL = "tenants/acme/plants/p1/cells/";

    private final TenantQuotas quotas = new TenantQuotas(new TenantLimits(5, 1_000, 4, 65_536, 1_000, 10, 1_000, 100),
            new ManualClock(Instant.parse("2026-01-01T00:00:00Z")), QuotaMetrics.NONE);
    private final SeriesCatalog catalog = new SeriesCatalog(quotas::seriesCreated);
    private final IngestMetrics metrics = new IngestMetrics(Metrics.create());
    private final TelemetryIngest ingest = new TelemetryIngest(catalog, new GatewayRegistry(g -> { }),
            new TopicResolver(32), new PayloadParser(65_536), metrics, publish -> { }, quotas);

    private int publish(final GatewayKey gateway, final String topic, final String payload) throws Rejection {
        return ingest.ingest(gateway, topic, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), null, null);
    }

    @Test
    void aNodeThatWouldPassTheSeriesLimitIsRefusedWholeAndLeavesNoNode() throws Exception {
        publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3}");

        final Rejection refused = rejected(() -> publish(ACME, CELL + "2", "{\"a\":1,\"b\":2,\"c\":3}"));

        assertThat(refused.reason()).isEqualTo(RejectReason.QUOTA_EXCEEDED);
        assertThat(catalog.publishedNode(CELL + "2")).isNull();
        assertThat(catalog.size()).isEqualTo(3);
        assertThat(metrics.rejectedCount(RejectReason.QUOTA_EXCEEDED)).isEqualTo(1);
    }

    @Test
    void newMetricsOfAKnownNodeCountAndKnownOnesAreFree() throws Exception {
        publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3}");
        publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}");

        rejected(() -> publish(ACME, CELL + "1", "{\"a\":1,\"e\":5,\"f\":6}"));
        assertThat(catalog.publishedNode(CELL + "1").metric("e")).isNull();
        assertThat(publish(ACME, CELL + "1/e", "5")).isEqualTo(1);
        rejected(() -> publish(ACME, CELL + "1/f", "6"));
        assertThat(publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}")).isEqualTo(4);
        assertThat(quotas.of("acme").series()).isEqualTo(5);
    }

    @Test
    void oneTenantAtItsLimitDoesNotStopAnother() throws Exception {
        publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}");
        publish(ACME, CELL + "1/e", "5");

        assertThat(publish(NORDVOLT, "tenants/nordvolt/plants/p1/cells/1", "{\"a\":1,\"b\":2,\"c\":3}"))
                .isEqualTo(3);
    }

    @Test
    void mappedNodesAreHeldToTheSameLimits() throws Exception {
        rejected(() -> ingest.ingestNode(ACME, CELL + "9", new String[] {"a", "b", "c", "d", "e"},
                new double[] {1, 2, 3, 4, 5}, 0));
        publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}");

        assertThat(rejected(() -> ingest.ingestNode(ACME, CELL + "9", new String[] {"a", "b"},
                new double[] {1, 2}, 0)).reason()).isEqualTo(RejectReason.QUOTA_EXCEEDED);
        assertThat(catalog.publishedNode(CELL + "9")).isNull();
    }

    @Test
    void aNodePayloadWithMoreMetricsThanThePublishersLimitIsRefused() {
        final Rejection refused = rejected(() -> publish(ACME, CELL + "1", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}"));

        assertThat(refused.getMessage())
                .isEqualTo("quota exceeded: payload has 5 metrics; tenant 'acme' may send at most 4 per payload");
        assertThat(catalog.size()).isZero();
    }
}
