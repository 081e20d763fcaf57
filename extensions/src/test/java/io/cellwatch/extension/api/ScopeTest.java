package io.cellwatch.extension.api;

import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.rules.Role;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeTest {

    private final Scope acme = Scope.of(new Principal("alice", Optional.of("acme"), Role.OPERATOR));

    @Test
    void tenantMemberSeesItsTenantsSubtree() {
        assertThat(acme.covers("tenants/acme")).isTrue();
        assertThat(acme.covers("tenants/acme/plants/p1/cells/1/voltage")).isTrue();
    }

    @Test
    void tenantMemberDoesNotSeeATenantWhoseNameStartsTheSame() {
        assertThat(acme.covers("tenants/acme2")).isFalse();
        assertThat(acme.covers("tenants/acme2/plants/p1")).isFalse();
        assertThat(acme.leadsTo("tenants/acme2")).isFalse();
    }

    @Test
    void tenantMemberDoesNotSeeOtherTenantsOrTheRoot() {
        assertThat(acme.covers("tenants/nordvolt/plants/p3")).isFalse();
        assertThat(acme.covers("")).isFalse();
        assertThat(acme.covers("tenants")).isFalse();
    }

    @Test
    void rootAndTenantsLevelLeadToTheTenant() {
        assertThat(acme.leadsTo("")).isTrue();
        assertThat(acme.leadsTo("tenants")).isTrue();
        assertThat(acme.leadsTo("tenants/acme")).isFalse();
        assertThat(acme.root()).isEqualTo("tenants/acme");
    }

    @Test
    void globalAdminSeesEverything() {
        final Scope admin = Scope.of(new Principal("root", Optional.empty(), Role.ADMIN));

        assertThat(admin.covers("")).isTrue();
        assertThat(admin.covers("tenants/nordvolt/plants/p3")).isTrue();
        assertThat(admin.root()).isEmpty();
    }

    @Test
    void principalWithoutTenantWhoIsNoAdminSeesNothing() {
        final Scope none = Scope.of(Principal.anonymous());

        assertThat(none.covers("")).isFalse();
        assertThat(none.covers("tenants/acme")).isFalse();
        assertThat(none.leadsTo("")).isFalse();
    }

    @Test
    void nobodyNotEvenAGlobalAdminSeesTheProbesInternalTenant() {
        final Scope admin = Scope.of(new Principal("root", Optional.empty(), Role.ADMIN));

        for (final Scope scope : java.util.List.of(admin, acme, Scope.everything())) {
            assertThat(scope.covers("tenants/~cellwatch")).isFalse();
            assertThat(scope.covers(io.cellwatch.contract.TopicBuilder.probe())).isFalse();
            assertThat(scope.leadsTo("tenants/~cellwatch/probes/e2e")).isFalse();
        }
        assertThat(admin.covers("tenants/~cellwatch2/plants/p1")).isTrue();
    }
}
