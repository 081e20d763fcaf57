package io.cellwatch.extension.quota;

import io.cellwatch.acl.rules.TenantLimit;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.extension.ManualClock;
import io.cellwatch.extension.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static io.cellwatch.contract.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class TenantQuotaTest {

    private static final TenantLimits SMALL = new TenantLimits(10, 6, 3, 100, 1_000, 2, 3, 2);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Metrics registry = Metrics.create();
    private final TenantQuotas quotas = new TenantQuotas(SMALL, clock, QuotaMetrics.register(registry));

    private String scrape() {
        return new String(registry.scrape(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void reservedSeriesCountAsHeldUntilSettled() throws Exception {
        final TenantQuota acme = quotas.of("acme");
        acme.admitSeries(6);

        assertThat(rejected(() -> acme.admitSeries(5)).reason()).isEqualTo(RejectReason.QUOTA_EXCEEDED);
        acme.settleSeries(6);
        clock.advance(Duration.ofMinutes(1));
        assertThatCode(() -> acme.admitSeries(5)).doesNotThrowAnyException();
    }

    @Test
    void theSeriesLimitCountsSeriesMadeAndRefusesWhatWouldPassIt() throws Exception {
        final TenantQuota acme = quotas.of("acme");
        for (int i = 0; i < 9; i++) {
            acme.seriesCreated();
        }

        assertThatCode(() -> acme.admitSeries(1)).doesNotThrowAnyException();
        acme.settleSeries(1);
        acme.seriesCreated();
        assertThat(rejected(() -> acme.admitSeries(1)).getMessage())
                .isEqualTo("quota exceeded: tenant 'acme' has 10 series; 1 more would pass its series limit of 10");
        assertThat(scrape()).contains(
                "cellwatch_quota_refused_total{limit=\"series\",tenant=\"other\"} 1.0");
    }

    @Test
    void aFullMinuteOfNewSeriesMayComeAtOnceThenTheyRefillOverTheMinute() throws Exception {
        final TenantQuota acme = quotas.of("acme");
        acme.admitSeries(6);
        acme.settleSeries(6);

        assertThat(rejected(() -> acme.admitSeries(1)).getMessage())
                .isEqualTo("quota exceeded: tenant 'acme' may create 6 new series per minute; 1 more must wait");
        clock.advance(Duration.ofSeconds(10));
        assertThatCode(() -> acme.admitSeries(1)).doesNotThrowAnyException();
        acme.settleSeries(1);
        assertThat(rejected(() -> acme.admitSeries(1)).reason()).isEqualTo(RejectReason.QUOTA_EXCEEDED);
    }

    @Test
    void aRateRefusalReleasesTheSeriesReservation() throws Exception {
        final TenantQuota acme = quotas.of("acme");
        acme.admitSeries(6);
        acme.settleSeries(6);
        rejected(() -> acme.admitSeries(4));

        clock.advance(Duration.ofMinutes(1));
        assertThatCode(() -> acme.admitSeries(4)).doesNotThrowAnyException();
    }

    @Test
    void payloadAndMetricLimitsNameTheirNumbers() {
        final TenantQuota acme = quotas.of("acme");

        final var oversize = rejected(() -> acme.checkPayload(101));
        assertThat(oversize.reason()).isEqualTo(RejectReason.OVERSIZE);
        assertThat(oversize.getMessage()).isEqualTo("payload is 101 bytes; at most 100 are accepted");
        assertThat(rejected(() -> acme.checkMetrics(4)).getMessage())
                .isEqualTo("quota exceeded: payload has 4 metrics; tenant 'acme' may send at most 3 per payload");
        assertThatCode(() -> acme.checkMetrics(3)).doesNotThrowAnyException();
    }

    @Test
    void aReloadRaisesTheLimitOfOneTenantAndLabelsDeclaredTenantsByName() throws Exception {
        final TenantQuota acme = quotas.of("acme");
        final TenantQuota nordvolt = quotas.of("nordvolt");

        quotas.apply(Map.of("acme", Map.of(TenantLimit.METRICS_PER_PAYLOAD, 50L)), Set.of("acme", "nordvolt"));

        assertThatCode(() -> acme.checkMetrics(50)).doesNotThrowAnyException();
        rejected(() -> nordvolt.checkMetrics(4));
        assertThat(quotas.withinEveryMetricsLimit(3)).isTrue();
        assertThat(quotas.withinEveryMetricsLimit(4)).isFalse();
        assertThat(scrape()).contains(
                "cellwatch_quota_refused_total{limit=\"metrics-per-payload\",tenant=\"nordvolt\"} 1.0");
    }

    @Test
    void clientsWithoutTenantShareOneQuotaLabelledNone() {
        assertThat(quotas.of(null)).isSameAs(quotas.of(""));
        rejected(() -> quotas.of("").checkPayload(1_000));

        assertThat(scrape()).contains(
                "cellwatch_quota_refused_total{limit=\"payload-bytes\",tenant=\"none\"} 1.0");
    }
}
