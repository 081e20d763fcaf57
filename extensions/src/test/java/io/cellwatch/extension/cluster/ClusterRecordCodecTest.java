package io.cellwatch.extension.cluster;

import io.cellwatch.extension.ingest.GatewayKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterRecordCodecTest {

    private static final GatewayKey GATEWAY = new GatewayKey("acme", "gw-acme-1", "gw-acme-1-pi");

    @Test
    void publishSurvivesTheRoundTrip() {
        final ClusterRecord.Publish publish = new ClusterRecord.Publish(GATEWAY, 42, 1_700_000_000_000L,
                1_700_000_000_123L, new String[]{"tenants/acme/plants/p1/cells/1/voltage",
                "tenants/acme/plants/p1/cells/1/temperature"}, new double[]{3.671, 29.5});

        final ClusterRecord.Publish decoded = (ClusterRecord.Publish) ClusterRecordCodec.decode(
                ClusterRecordCodec.encode(publish));

        assertThat(decoded.gateway()).isEqualTo(GATEWAY);
        assertThat(decoded.seq()).isEqualTo(42);
        assertThat(decoded.ts()).isEqualTo(1_700_000_000_000L);
        assertThat(decoded.receivedAt()).isEqualTo(1_700_000_000_123L);
        assertThat(decoded.seriesKeys()).containsExactly(publish.seriesKeys());
        assertThat(decoded.values()).containsExactly(3.671, 29.5);
    }

    @Test
    void gatewayStateSurvivesTheRoundTrip() {
        final ClusterRecord.GatewayState state = new ClusterRecord.GatewayState(GATEWAY, "offline", "will", 7L);

        assertThat(ClusterRecordCodec.decode(ClusterRecordCodec.encode(state))).isEqualTo(state);
    }

    @Test
    void retainedMetaAndItsClearSurviveTheRoundTrip() {
        final byte[] meta = "{\"name\":\"Plant 1\",\"lat\":48.1,\"lon\":11.6}".getBytes(StandardCharsets.UTF_8);

        final ClusterRecord.RetainedMeta set = (ClusterRecord.RetainedMeta) ClusterRecordCodec.decode(
                ClusterRecordCodec.encode(new ClusterRecord.RetainedMeta("tenants/acme/plants/p1/meta", meta)));
        final ClusterRecord.RetainedMeta cleared = (ClusterRecord.RetainedMeta) ClusterRecordCodec.decode(
                ClusterRecordCodec.encode(new ClusterRecord.RetainedMeta("tenants/acme/plants/p1/meta", new byte[0])));

        assertThat(set.topic()).isEqualTo("tenants/acme/plants/p1/meta");
        assertThat(set.payload()).isEqualTo(meta);
        assertThat(set.tenant()).isEqualTo("acme");
        assertThat(cleared.payload()).isEmpty();
    }

    @Test
    void gatewayHealthReportSurvivesTheRoundTripKeyedByItsGatewaysTenant() {
        final byte[] report = "{\"state\":\"degraded\",\"sources\":[]}".getBytes(StandardCharsets.UTF_8);

        final ClusterRecord.GatewayHealthReport decoded = (ClusterRecord.GatewayHealthReport) ClusterRecordCodec
                .decode(ClusterRecordCodec.encode(new ClusterRecord.GatewayHealthReport(GATEWAY, report)));

        assertThat(decoded.gateway()).isEqualTo(GATEWAY);
        assertThat(decoded.report()).isEqualTo(report);
        assertThat(new String(ClusterRecordCodec.key(decoded), StandardCharsets.UTF_8)).isEqualTo(GATEWAY.tenant());
    }

    @Test
    void keysARecordByTheTenantOfItsSeriesSoATenantKeepsOnePartition() {
        final ClusterRecord.Publish mapped = new ClusterRecord.Publish(new GatewayKey("", "admin", "bridge"), -1, 1,
                1, new String[]{"tenants/nordvolt/plants/p2/soc"}, new double[]{0.5});

        assertThat(new String(ClusterRecordCodec.key(mapped), StandardCharsets.UTF_8)).isEqualTo("nordvolt");
    }

    @Test
    void refusesARecordOfAnotherVersion() {
        final byte[] value = ClusterRecordCodec.encode(new ClusterRecord.GatewayState(GATEWAY, "online", "connect",
                1));
        value[0] = 9;

        assertThatThrownBy(() -> ClusterRecordCodec.decode(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void refusesATruncatedRecord() {
        final byte[] value = ClusterRecordCodec.encode(new ClusterRecord.GatewayState(GATEWAY, "online", "connect",
                1));

        assertThatThrownBy(() -> ClusterRecordCodec.decode(java.util.Arrays.copyOf(value, value.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }
}
