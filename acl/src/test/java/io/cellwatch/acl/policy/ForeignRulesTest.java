package io.cellwatch.acl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellwatch.files.InvalidFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foreign} lines: tenant members reach device topics outside tenants/ only where granted, never $ or tenants/. */
class ForeignRulesTest {

    @TempDir
    Path dir;

    private AccessPolicy load() throws Exception {
        return new PolicyFiles(dir)
                .users("gw-acme-01", "alice", "gw-beta-01", "sparky")
                .acl("tenant acme",
                        "gateways gw-acme-*",
                        "operators alice",
                        "foreign write factory/machine/#",
                        "foreign deny factory/machine/secret/#",
                        "foreign read factory/status/#",
                        "tenant beta",
                        "gateways gw-beta-* sparky",
                        "user sparky",
                        "foreign readwrite spBv1.0/plant-b/#")
                .load();
    }

    @Test
    void aForeignGrantLetsATenantMemberPublishThereAndNowhereElseOutsideItsTenant() throws Exception {
        AccessPolicy policy = load();
        Principal gw = policy.principal("gw-acme-01").orElseThrow();

        assertThat(policy.mayPublish(gw, "c", "factory/machine/cnc/telemetry")).isTrue();
        assertThat(policy.mayPublish(gw, "c", "factory/machine/secret/x")).isFalse();
        assertThat(policy.mayPublish(gw, "c", "factory/other")).isFalse();
        assertThat(policy.mayPublish(gw, "c", "tenants/beta/plants/p1/voltage")).isFalse();
        assertThat(policy.mayPublish(gw, "c", "$SYS/x")).isFalse();
        assertThat(policy.mayPublish(gw, "c", "tenants/acme/plants/p1/voltage")).isTrue();
    }

    @Test
    void foreignReadGrantsCoverSubscriptionsButNeverAWildcardFirstLevel() throws Exception {
        AccessPolicy policy = load();
        Principal alice = policy.principal("alice").orElseThrow();

        assertThat(policy.maySubscribe(alice, "c", "factory/status/#")).isTrue();
        assertThat(policy.maySubscribe(alice, "c", "factory/machine/#")).isFalse();
        assertThat(policy.maySubscribe(alice, "c", "+/status/#")).isFalse();
        assertThat(policy.maySubscribe(alice, "c", "#")).isFalse();
    }

    @Test
    void withoutForeignLinesTheTenantWallIsExact() throws Exception {
        AccessPolicy policy = load();
        Principal gwBeta = policy.principal("gw-beta-01").orElseThrow();
        Principal sparky = policy.principal("sparky").orElseThrow();

        assertThat(policy.mayPublish(gwBeta, "c", "factory/machine/cnc/telemetry")).isFalse();
        assertThat(policy.mayPublish(gwBeta, "c", "spBv1.0/plant-b/NDATA/n1")).isFalse();
        assertThat(policy.mayPublish(sparky, "c", "spBv1.0/plant-b/NDATA/n1")).isTrue();
        assertThat(policy.mayPublish(sparky, "c", "spBv1.0/plant-a/NDATA/n1")).isFalse();
        assertThat(policy.maySubscribe(sparky, "c", "spBv1.0/plant-b/NCMD/n1")).isTrue();
    }

    @Test
    void foreignLinesMayNotNameTheTreeBrokerTopicsOrStandOutsideABlock() throws Exception {
        PolicyFiles files = new PolicyFiles(dir).users("gw-acme-01").acl(
                "foreign write factory/#",
                "tenant acme",
                "gateways gw-acme-*",
                "foreign write tenants/beta/#",
                "foreign write $SYS/#",
                "foreign write +/machine/#",
                "foreign write factory//x");
        assertThatThrownBy(files::load).isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(
                e.problems().stream().map(p -> p.line() + ": " + p.message()).toList()).containsExactly(
                "1: 'foreign' grants tenant members topics outside tenants/: put it in a tenant or user block "
                        + "(rules before the first block are the anonymous clients' and use 'topic')",
                "4: foreign topic 'tenants/beta/#' may not name tenants/, $ topics or start with a wildcard (use "
                        + "'topic' for the tenant's own tree)",
                "5: foreign topic '$SYS/#' may not name tenants/, $ topics or start with a wildcard (use 'topic' for "
                        + "the tenant's own tree)",
                "6: foreign topic '+/machine/#' may not name tenants/, $ topics or start with a wildcard (use "
                        + "'topic' for the tenant's own tree)",
                "7: topic 'factory//x' has an empty level"));
    }
}
