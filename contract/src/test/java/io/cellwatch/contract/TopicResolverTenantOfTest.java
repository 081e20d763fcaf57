package io.cellwatch.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TopicResolver#tenantOf}: the tenant a topic, node path or series key belongs to (quota accounting). */
class TopicResolverTenantOfTest {

    @Test
    void findsTheTenantLevelOfTopicsPathsAndKeys() {
        assertThat(TopicResolver.tenantOf("tenants/acme/plants/p1/meta")).isEqualTo("acme");
        assertThat(TopicResolver.tenantOf("tenants/acme")).isEqualTo("acme");
        assertThat(TopicResolver.tenantOf("tenants/~cellwatch/probe/1/latency")).isEqualTo("~cellwatch");
    }

    @Test
    void hasNoTenantOutsideTenants() {
        assertThat(TopicResolver.tenantOf("factory/machine/x")).isNull();
        assertThat(TopicResolver.tenantOf("tenants/")).isNull();
        assertThat(TopicResolver.tenantOf("tenants")).isNull();
        assertThat(TopicResolver.tenantOf("spBv1.0/tenants/acme")).isNull();
    }
}
