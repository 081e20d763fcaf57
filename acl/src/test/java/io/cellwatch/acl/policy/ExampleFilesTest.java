package io.cellwatch.acl.policy;

import io.cellwatch.acl.rules.Role;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example files admins copy must load and mean what docs/access-control.md says. */
class ExampleFilesTest {

    private static AccessPolicy policy;

    @BeforeAll
    static void load() throws Exception {
        policy = AccessPolicy.load(Path.of("examples/passwd"), Path.of("examples/acl"));
    }

    @Test
    void loadsWithoutWarnings() {
        assertThat(policy.warnings()).isEmpty();
        assertThat(policy.tenants()).containsExactly("acme", "beta");
    }

    @Test
    void logsInTheDocumentedDemoUsers() {
        assertThat(policy.authenticate("root", "root-demo".toCharArray())).get()
                .extracting(Principal::role).isEqualTo(Role.ADMIN);
        assertThat(policy.authenticate("gw-acme-50", "gw-acme-50-demo".toCharArray())).get()
                .extracting(Principal::role).isEqualTo(Role.GATEWAY);
        assertThat(policy.authenticate("carol", "carol-demo".toCharArray())).get()
                .extracting(Principal::role).isEqualTo(Role.TENANT_ADMIN);
        assertThat(policy.authenticate("alice", "wrong".toCharArray())).isEmpty();
    }

    @Test
    void grantsWhatTheCommentsSay() {
        Principal gw = policy.principal("gw-acme-07").orElseThrow();
        Principal dave = policy.principal("dave").orElseThrow();
        Principal frank = policy.principal("frank").orElseThrow();
        Principal erin = policy.principal("erin").orElseThrow();

        assertThat(policy.mayPublish(gw, "gw-acme-07", "tenants/acme/plants/p1/racks/r1/voltage")).isTrue();
        assertThat(policy.maySubscribe(gw, "gw-acme-07", "tenants/acme/gateways/gw-acme-07/commands/#")).isTrue();
        assertThat(policy.maySubscribe(gw, "gw-acme-07", "tenants/acme/gateways/gw-acme-08/commands/#")).isFalse();
        assertThat(policy.maySubscribe(gw, "gw-acme-07", "tenants/acme/alerts/#")).isTrue();
        assertThat(policy.maySubscribe(dave, "d", "tenants/acme/plants/p2/#")).isTrue();
        assertThat(policy.maySubscribe(dave, "d", "tenants/acme/plants/p1/#")).isFalse();
        assertThat(policy.mayPublish(frank, "f", "tenants/beta/plants/lab/meta")).isFalse();
        assertThat(policy.mayPublish(erin, "erin-tab", "tenants/beta/clients/erin-tab/state")).isTrue();
        assertThat(policy.maySubscribe(erin, "e", "tenants/acme/#")).isFalse();
    }
}
