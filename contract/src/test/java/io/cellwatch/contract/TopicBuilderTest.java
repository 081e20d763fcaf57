package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicBuilderTest {

    private final TopicResolver resolver = new TopicResolver(16);

    @Test
    void buildsNodeTopicThatResolvesAsNode() throws Rejection {
        final String topic = TopicBuilder.tenant("acme").child("plants", "p1").child("racks", "r1")
                .child("packs", "k1").child("cells", "7").node();

        assertThat(topic).isEqualTo("tenants/acme/plants/p1/racks/r1/packs/k1/cells/7");
        assertThat(resolver.resolve(topic).kind()).isEqualTo(TopicKind.NODE);
    }

    @Test
    void buildsMetricTopicThatResolvesAsMetric() throws Rejection {
        final String topic = TopicBuilder.tenant("acme").child("plants", "p1").metric("voltage");

        assertThat(topic).isEqualTo("tenants/acme/plants/p1/voltage");
        assertThat(resolver.resolve(topic).kind()).isEqualTo(TopicKind.METRIC);
    }

    @Test
    void buildsReservedTopicsThatAreNotTelemetry() throws Rejection {
        final TopicBuilder plant = TopicBuilder.tenant("acme").child("plants", "p1");

        assertThat(plant.reserved("meta")).isEqualTo("tenants/acme/plants/p1/meta");
        assertThat(resolver.resolve(plant.reserved("meta")).kind()).isEqualTo(TopicKind.NOT_TELEMETRY);
        final String status = TopicBuilder.tenant("acme").child("gateways", "gw1").reserved("status");
        assertThat(resolver.resolve(status).kind()).isEqualTo(TopicKind.NOT_TELEMETRY);
    }

    @Test
    void buildsTheBrokersGatewayStatusTopicDirectlyUnderTheTenant() throws Rejection {
        final String status = TopicBuilder.gatewayStatus("acme", "gw-acme-1");

        assertThat(status).isEqualTo("tenants/acme/gateways/gw-acme-1/status");
        assertThat(resolver.resolve(status).kind()).isEqualTo(TopicKind.NOT_TELEMETRY);
        assertThat(TopicResolver.isBrokerGatewayStatus(status)).isTrue();
        assertThat(TopicResolver.isBrokerGatewayStatus("tenants/acme/plants/p1/gateways/gw-acme-1/status")).isFalse();
        assertThat(TopicResolver.isBrokerGatewayStatus("tenants/acme/gateways/gw-acme-1/statuses")).isFalse();
        assertThatThrownBy(() -> TopicBuilder.gatewayStatus("acme", "gw/1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNonReservedNameAsReserved() {
        assertThatThrownBy(() -> TopicBuilder.tenant("acme").reserved("voltage"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'voltage' is not a reserved name");
    }

    @Test
    void refusesLevelTheResolverWouldRefuseWithItsMessage() {
        assertThatThrownBy(() -> TopicBuilder.tenant("acme").child("plants", "p 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic level 4 'p 1' has a character outside [A-Za-z0-9_.:@~-] at index 1");
        assertThatThrownBy(() -> TopicBuilder.tenant(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("topic level 2 is empty");
        assertThatThrownBy(() -> TopicBuilder.tenant("acme").child("plants", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("topic level 4 is missing");
    }

    @Test
    void refusesReservedNameAsLevelOrMetric() {
        assertThatThrownBy(() -> TopicBuilder.tenant("acme").child("status", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("level name 'status' is reserved");
        assertThatThrownBy(() -> TopicBuilder.tenant("acme").metric("meta"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("metric name 'meta' is reserved");
    }

    @Test
    void countsLevelsAfterTenant() {
        assertThat(TopicBuilder.tenant("t").levelsAfterTenant()).isZero();
        assertThat(TopicBuilder.tenant("t").child("a", "1").child("b", "2").levelsAfterTenant()).isEqualTo(4);
    }

    @Test
    void alertTopicIsUnderTheTenantAndOwnedByTheBroker() throws Exception {
        final String topic = TopicBuilder.alert("acme", "cell-hot~0a1b2c3d4e");
        assertThat(topic).isEqualTo("tenants/acme/alerts/cell-hot~0a1b2c3d4e");
        assertThat(new TopicResolver(32).resolve(topic).kind()).isEqualTo(TopicKind.NOT_TELEMETRY);
        assertThat(TopicResolver.isBrokerOwned(topic)).isTrue();
        assertThat(TopicResolver.isBrokerOwned("tenants/acme/alerts")).isTrue();
        assertThat(TopicResolver.isBrokerOwned("tenants/acme/alerts/x/y")).isTrue();
        assertThat(TopicResolver.isBrokerOwned(TopicBuilder.gatewayStatus("acme", "gw-1"))).isTrue();
        assertThat(TopicResolver.isBrokerOwned("tenants/acme/alertsx/1")).isFalse();
        assertThat(TopicResolver.isBrokerOwned("tenants/acme/plants/p1/alerts/1")).isFalse();
        assertThat(TopicResolver.isBrokerOwned("other/acme/alerts/1")).isFalse();
        assertThatThrownBy(() -> TopicBuilder.alert("acme", "a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
