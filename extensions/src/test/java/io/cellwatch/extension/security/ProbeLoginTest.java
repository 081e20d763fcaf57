package io.cellwatch.extension.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeLoginTest {

    private final ProbeLogin login = ProbeLogin.random();

    private char[] password() {
        return new String(login.password(), StandardCharsets.UTF_8).toCharArray();
    }

    @Test
    void onlyTheProbesUserClientIdAndPasswordTogetherMatch() {
        assertThat(login.matches(ProbeLogin.USER, ProbeLogin.CLIENT_ID, password())).isTrue();
        assertThat(login.matches(ProbeLogin.USER, ProbeLogin.CLIENT_ID, "guess".toCharArray())).isFalse();
        assertThat(login.matches(ProbeLogin.USER, "other", password())).isFalse();
        assertThat(login.matches("admin", ProbeLogin.CLIENT_ID, password())).isFalse();
        assertThat(login.matches(null, ProbeLogin.CLIENT_ID, password())).isFalse();
    }

    @Test
    void everyStartMakesAnotherPassword() {
        assertThat(ProbeLogin.random().matches(ProbeLogin.USER, ProbeLogin.CLIENT_ID, password())).isFalse();
        assertThat(login.password()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void aLoginNamingTheProbesUserOrClientIdClaimsToBeTheProbe() {
        assertThat(ProbeLogin.claims(ProbeLogin.USER, "any")).isTrue();
        assertThat(ProbeLogin.claims("admin", ProbeLogin.CLIENT_ID)).isTrue();
        assertThat(ProbeLogin.claims(null, ProbeLogin.CLIENT_ID)).isTrue();
        assertThat(ProbeLogin.claims("admin", "gw-1")).isFalse();
        assertThat(ProbeLogin.claims(null, "gw-1")).isFalse();
    }

    @Test
    void noSubscriptionMayNameTheInternalTenantSharedOrNot() {
        assertThat(SubscriptionGuard.namesInternalTenant("tenants/~cellwatch/#")).isTrue();
        assertThat(SubscriptionGuard.namesInternalTenant("tenants/~cellwatch")).isTrue();
        assertThat(SubscriptionGuard.namesInternalTenant("$share/g/tenants/~cellwatch/probes/+/sample")).isTrue();
        assertThat(SubscriptionGuard.namesInternalTenant("tenants/acme/#")).isFalse();
        assertThat(SubscriptionGuard.namesInternalTenant("$share/g/tenants/acme/#")).isFalse();
        assertThat(SubscriptionGuard.namesInternalTenant("#")).isFalse();
    }
}
