package io.cellwatch.mapping;

import io.cellwatch.acl.InvalidFileException;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.policy.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ForeignOwnershipTest {

    private static final String RULES = """
            map factory/machine/+/telemetry
                tenant acme
                node   plants/factory/machines/{machine_id|+1}
            map sites/+/+/data
                tenant {+1}
                node   lines/{+2}
            map shared/+/data
                tenant {tenant}
                node   lines/{+1}
            sparkplug acme-plant
                tenant acme
            sparkplug volt-plant
                tenant nordvolt
            """;

    private static final Principal ACME = member("gw-acme-1", "acme");
    private static final Principal NORDVOLT = member("gw-nordvolt-1", "nordvolt");
    private static final Principal ADMIN = new Principal("root", Optional.empty(), Role.ADMIN);

    private final ForeignOwnership ownership = ownership(RULES);

    private static Principal member(final String user, final String tenant) {
        return new Principal(user, Optional.of(tenant), Role.GATEWAY);
    }

    private static ForeignOwnership ownership(final String rules) {
        try {
            return MappingRules.parse(Path.of("mapping.rules"), rules).ownership();
        } catch (final InvalidFileException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTopicMappedIntoATenantIsRefusedToEveryOtherTenantForPublishAndRetain() {
        assertThat(ownership.mayPublish(NORDVOLT, "factory/machine/cnc/telemetry", false)).isFalse();
        assertThat(ownership.mayPublish(NORDVOLT, "factory/machine/cnc/telemetry", true)).isFalse();
        assertThat(ownership.mayPublish(Principal.anonymous(), "factory/machine/cnc/telemetry", false)).isFalse();
    }

    @Test
    void theOwningTenantAndGlobalAdminsMayPublishAndRetainOnIt() {
        assertThat(ownership.mayPublish(ACME, "factory/machine/cnc/telemetry", true)).isTrue();
        assertThat(ownership.mayPublish(ADMIN, "factory/machine/cnc/telemetry", true)).isTrue();
    }

    @Test
    void topicsNoRuleMapsStayWithTheAcl() {
        assertThat(ownership.mayPublish(NORDVOLT, "factory/machine/cnc/status", true)).isTrue();
        assertThat(ownership.mayPublish(NORDVOLT, "spBv1.0/unmapped-plant/NCMD/edge-1", true)).isTrue();
        assertThat(ownership.mayPublish(NORDVOLT, "tenants/nordvolt/plants/p1", true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spBv1.0/acme-plant/NCMD/edge-1", "spBv1.0/acme-plant/DCMD/edge-1/pack-1",
            "spBv1.0/acme-plant/STATE", "spBv1.0/acme-plant/NFOO/edge-1", "spBv1.0/acme-plant/NDATA/e/d/deeper",
            "spBv1.0/acme-plant", "spBv1.0/acme-plant/NDEATH/edge-1"})
    void everyTopicOfAnotherTenantsSparkplugGroupIsRefused(final String topic) {
        assertThat(ownership.mayPublish(NORDVOLT, topic, false)).isFalse();
        assertThat(ownership.mayPublish(ACME, topic, true)).isTrue();
    }

    @Test
    void aTenantTakenFromATopicLevelOwnsTheTopicsNamingIt() {
        assertThat(ownership.mayPublish(ACME, "sites/acme/l1/data", true)).isTrue();
        assertThat(ownership.mayPublish(NORDVOLT, "sites/acme/l1/data", false)).isFalse();
        assertThat(ownership.mayPublish(NORDVOLT, "sites/acmex/l1/data", false)).isFalse();
        assertThat(ownership.mayPublish(Principal.anonymous(), "sites/acme/l1/data", false)).isFalse();
    }

    @Test
    void aTenantTakenFromThePayloadMakesASharedTopicThatNoTenantRetainsOnOrClears() {
        assertThat(ownership.mayPublish(NORDVOLT, "shared/l1/data", false)).as("payload decides").isTrue();
        assertThat(ownership.mayPublish(NORDVOLT, "shared/l1/data", true)).isFalse();
        assertThat(ownership.mayPublish(ACME, "shared/l1/data", true)).isFalse();
        assertThat(ownership.mayPublish(ADMIN, "shared/l1/data", true)).isTrue();
        assertThat(ownership.maySubscribe(ACME, "shared/l1/data")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"factory/machine/#", "factory/machine/+/telemetry", "factory/machine/cnc/telemetry",
            "factory/#", "factory/+/+/telemetry", "spBv1.0/#", "spBv1.0/+/NDATA/#", "spBv1.0/acme-plant/#",
            "spBv1.0/acme-plant/NCMD/edge-1", "$share/spies/factory/machine/#", "$share/spies/spBv1.0/#",
            "sites/#", "sites/+/l1/data", "sites/acme/#", "shared/#", "spBv1.0/+"})
    void aFilterThatCanReachAnotherTenantsTopicIsRefused(final String filter) {
        assertThat(ownership.maySubscribe(NORDVOLT, filter)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"factory/machine/+/status", "factory/machine/cnc", "spBv1.0/volt-plant/#",
            "spBv1.0/unmapped/#", "sites/nordvolt/#", "spBv1.0"})
    void aFilterReachingOnlyOwnOrUnownedTopicsIsLeftToTheAcl(final String filter) {
        assertThat(ownership.maySubscribe(NORDVOLT, filter)).isTrue();
    }

    @Test
    void theOwningTenantMaySubscribeToItsOwnTopicsAndGlobalAdminsToAll() {
        assertThat(ownership.maySubscribe(ACME, "factory/machine/#")).isTrue();
        assertThat(ownership.maySubscribe(ACME, "spBv1.0/acme-plant/#")).isTrue();
        assertThat(ownership.maySubscribe(ACME, "spBv1.0/#")).as("reaches nordvolt's group").isFalse();
        assertThat(ownership.maySubscribe(ADMIN, "#")).isTrue();
    }

    @Test
    void theRulesInForceDecide() {
        final ForeignOwnership none = MappingRules.none().ownership();
        assertThat(none.mayPublish(NORDVOLT, "factory/machine/cnc/telemetry", true)).isTrue();
        assertThat(none.maySubscribe(NORDVOLT, "spBv1.0/#")).isTrue();
    }
}
