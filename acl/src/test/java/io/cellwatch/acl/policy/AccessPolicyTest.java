package io.cellwatch.acl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellwatch.acl.password.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessPolicyTest {

    @TempDir
    Path dir;

    private AccessPolicy policy;
    private Principal gwAcme;
    private Principal aliceAcme;
    private Principal carolAcme;
    private Principal daveAcme;
    private Principal bobBeta;
    private Principal gwBeta;
    private Principal root;

    @BeforeEach
    void load() throws Exception {
        policy = new PolicyFiles(dir)
                .users("root", "gw-acme-01", "gw-acme-02", "alice", "carol", "dave", "bob", "gw-beta-01", "eve")
                .acl("admin root",
                        "topic read public/info",
                        "pattern write tenants/%t/clients/%c/#",
                        "tenant acme",
                        "gateways gw-acme-*",
                        "operators alice dave",
                        "admins carol",
                        "topic deny tenants/acme/secret/#",
                        "pattern read tenants/%t/gateways/%u/commands/#",
                        "tenant beta",
                        "operators bob",
                        "gateways gw-beta-*",
                        "user dave",
                        "topic deny tenants/acme/plants/p1/#",
                        "user root",
                        "topic deny private/#")
                .load();
        gwAcme = policy.principal("gw-acme-01").orElseThrow();
        aliceAcme = policy.principal("alice").orElseThrow();
        carolAcme = policy.principal("carol").orElseThrow();
        daveAcme = policy.principal("dave").orElseThrow();
        bobBeta = policy.principal("bob").orElseThrow();
        gwBeta = policy.principal("gw-beta-01").orElseThrow();
        root = policy.principal("root").orElseThrow();
    }

    @Test
    void resolvesPrincipalsFromRolesAndGlobs() {
        assertThat(gwAcme).isEqualTo(new Principal("gw-acme-01", Optional.of("acme"), Role.GATEWAY));
        assertThat(aliceAcme).isEqualTo(new Principal("alice", Optional.of("acme"), Role.OPERATOR));
        assertThat(carolAcme.role()).isEqualTo(Role.TENANT_ADMIN);
        assertThat(root).isEqualTo(new Principal("root", Optional.empty(), Role.ADMIN));
        assertThat(policy.principal("eve")).isEmpty();
        assertThat(policy.tenants()).containsExactly("acme", "beta");
    }

    @Test
    void authenticatesWithTheRightPasswordOnly() {
        assertThat(policy.authenticate("alice", "alice-pw".toCharArray())).contains(aliceAcme);
        assertThat(policy.authenticate("alice", "alice-pw".toCharArray())).as("cached").contains(aliceAcme);
        assertThat(policy.authenticate("alice", "wrong".toCharArray())).isEmpty();
        assertThat(policy.authenticate("nobody", "x".toCharArray())).isEmpty();
        assertThat(policy.authenticate(null, "x".toCharArray())).isEmpty();
    }

    @Test
    void refusesAUserWithAPasswordButNoRoleAndWarns() {
        assertThat(policy.authenticate("eve", "eve-pw".toCharArray())).isEmpty();
        assertThat(policy.warnings()).anySatisfy(w -> assertThat(w).contains("user 'eve' has no role"));
    }

    @Test
    void gatewayPublishesInOwnTenantButCannotSubscribeOutsideItsGrants() {
        assertThat(policy.mayPublish(gwAcme, "c1", "tenants/acme/plants/p1/racks/r1/voltage")).isTrue();
        assertThat(policy.maySubscribe(gwAcme, "c1", "tenants/acme/#")).isFalse();
        assertThat(policy.maySubscribe(gwAcme, "c1", "tenants/acme/plants/#")).isFalse();
    }

    @Test
    void operatorReadsButCannotPublish() {
        assertThat(policy.maySubscribe(aliceAcme, "c", "tenants/acme/plants/#")).isTrue();
        assertThat(policy.maySubscribe(aliceAcme, "c", "tenants/acme/plants/+/voltage")).isTrue();
        assertThat(policy.maySubscribe(aliceAcme, "c", "tenants/acme")).isTrue();
        assertThat(policy.mayPublish(aliceAcme, "c", "tenants/acme/plants/p1/voltage")).isFalse();
    }

    @Test
    void tenantAdminReadsAndWritesOwnTenant() {
        assertThat(policy.mayPublish(carolAcme, "c", "tenants/acme/plants/p1/meta")).isTrue();
        assertThat(policy.maySubscribe(carolAcme, "c", "tenants/acme/plants/#")).isTrue();
        assertThat(policy.mayPublish(carolAcme, "c", "tenants/beta/plants/p1/meta")).isFalse();
    }

    @Test
    void otherTenantCannotReachAcmeByAnyFilterOrTopic() {
        for (Principal outsider : new Principal[] {bobBeta, gwBeta}) {
            assertThat(policy.mayPublish(outsider, "c", "tenants/acme/plants/p1/voltage")).isFalse();
            for (String filter : new String[] {"#", "+/#", "+", "tenants/+/#", "tenants/#", "tenants/+", "+/acme/#",
                    "tenants/acme/#", "tenants/acme", "$share/g/tenants/acme/#", "$share/g/#", "$share/g/tenants/+/#",
                    "$SYS/#", "$SYS/broker/clients", "$share//tenants/beta/#", "$share/g/", "$share/g", "$share",
                    "tenants/acme /x", "tenants/\u0430cme/x", "tenants//acme", "tenants/ACME/x", "/tenants/acme/x"}) {
                assertThat(policy.maySubscribe(outsider, "c", filter)).as("%s subscribes %s", outsider.user(), filter)
                        .isFalse();
            }
        }
    }

    @Test
    void ownTenantLookalikesAndMalformedTopicsAreDenied() {
        for (String topic : new String[] {"tenants/acme /x", "tenants/\u0430cme/x", "tenants//acme/x",
                "tenants/ACME/x", "tenants/acme//x", "tenants/acme/x/", "/tenants/acme/x", "tenants/acme/+/x",
                "tenants/acme/#", "$SYS/x", "tenants/acmex/y", "", "tenants/acme/x\u0000"}) {
            assertThat(policy.mayPublish(carolAcme, "c", topic)).as("publish %s", topic).isFalse();
        }
        for (String filter : new String[] {"tenants/acme//#", "tenants/acme/a+", "tenants/acme/#/x",
                "tenants/acme/x/", "$share/g/tenants/acme//x"}) {
            assertThat(policy.maySubscribe(carolAcme, "c", filter)).as("subscribe %s", filter).isFalse();
        }
    }

    @Test
    void sharedSubscriptionsInsideOwnTenantAreAllowed() {
        assertThat(policy.maySubscribe(aliceAcme, "c", "$share/dash/tenants/acme/plants/#")).isTrue();
        assertThat(policy.maySubscribe(bobBeta, "c", "$share/dash/tenants/beta/#")).isTrue();
    }

    @Test
    void denyRulesBeatGrants() {
        assertThat(policy.mayPublish(carolAcme, "c", "tenants/acme/secret/k")).isFalse();
        assertThat(policy.maySubscribe(carolAcme, "c", "tenants/acme/secret/#")).isFalse();
        // A subscription that could deliver a denied topic is refused as a whole.
        assertThat(policy.maySubscribe(carolAcme, "c", "tenants/acme/#")).isFalse();
        assertThat(policy.maySubscribe(carolAcme, "c", "tenants/acme/+/k")).isFalse();
        assertThat(policy.maySubscribe(aliceAcme, "c", "tenants/acme/+/p1/#")).isFalse();
        assertThat(policy.maySubscribe(carolAcme, "c", "tenants/acme/plants/#")).isTrue();
    }

    @Test
    void userBlockDenyAppliesToThatUserOnly() {
        assertThat(policy.maySubscribe(daveAcme, "c", "tenants/acme/plants/p1/#")).isFalse();
        assertThat(policy.maySubscribe(daveAcme, "c", "tenants/acme/plants/p2/#")).isTrue();
        assertThat(policy.maySubscribe(daveAcme, "c", "tenants/acme/plants/+/voltage")).isFalse();
        assertThat(policy.maySubscribe(aliceAcme, "c", "tenants/acme/plants/p1/#")).isTrue();
    }

    @Test
    void patternsSubstituteUserClientIdAndTenant() {
        // pattern write tenants/%t/clients/%c/# lets operators write under their own client id
        assertThat(policy.mayPublish(aliceAcme, "dash-7", "tenants/acme/clients/dash-7/state")).isTrue();
        assertThat(policy.mayPublish(aliceAcme, "dash-7", "tenants/acme/clients/dash-8/state")).isFalse();
        assertThat(policy.mayPublish(bobBeta, "dash-7", "tenants/beta/clients/dash-7/state")).isTrue();
        assertThat(policy.mayPublish(aliceAcme, "a/b", "tenants/acme/clients/a/b/state")).as("unsafe client id")
                .isFalse();
        assertThat(policy.mayPublish(aliceAcme, "+", "tenants/acme/clients/+/state")).isFalse();
        // pattern read tenants/%t/gateways/%u/commands/# lets each gateway read its own commands
        assertThat(policy.maySubscribe(gwAcme, "c", "tenants/acme/gateways/gw-acme-01/commands/#")).isTrue();
        assertThat(policy.maySubscribe(gwAcme, "c", "tenants/acme/gateways/gw-acme-02/commands/#")).isFalse();
        assertThat(policy.maySubscribe(gwAcme, "c", "tenants/acme/gateways/+/commands/#")).isFalse();
    }

    @Test
    void globalAdminMayDoEverythingExceptItsOwnDenies() {
        assertThat(policy.mayPublish(root, "c", "tenants/acme/plants/p1/voltage")).isTrue();
        assertThat(policy.maySubscribe(root, "c", "tenants/#")).isTrue();
        assertThat(policy.maySubscribe(root, "c", "#")).as("could deliver private/#").isFalse();
        assertThat(policy.maySubscribe(root, "c", "$SYS/#")).isTrue();
        assertThat(policy.maySubscribe(root, "c", "$share/g/tenants/+/#")).isTrue();
        assertThat(policy.mayPublish(root, "c", "private/x")).isFalse();
        assertThat(policy.mayPublish(root, "c", "a/+")).isFalse();
        assertThat(policy.maySubscribe(root, "c", "a/#/b")).isFalse();
    }

    @Test
    void anonymousGetsOnlyTheRulesBeforeTheFirstBlock() {
        Principal anonymous = Principal.anonymous();

        assertThat(policy.maySubscribe(anonymous, "c", "public/info")).isTrue();
        assertThat(policy.maySubscribe(anonymous, "c", "#")).isFalse();
        assertThat(policy.maySubscribe(anonymous, "c", "tenants/acme/#")).isFalse();
        assertThat(policy.mayPublish(anonymous, "c", "public/info")).isFalse();
        assertThat(policy.maySeeTenant(anonymous, "acme")).isFalse();
    }

    @Test
    void principalsThisPolicyDoesNotKnowGetNothing() {
        Principal forged = new Principal("bob", Optional.of("acme"), Role.TENANT_ADMIN);
        Principal stranger = new Principal("zed", Optional.of("acme"), Role.TENANT_ADMIN);

        assertThat(policy.mayPublish(forged, "c", "tenants/acme/x")).isFalse();
        assertThat(policy.mayPublish(stranger, "c", "tenants/acme/x")).isFalse();
        assertThat(policy.maySeeTenant(forged, "acme")).isFalse();
        assertThat(policy.mayPublish(null, "c", "tenants/acme/x")).isFalse();
    }

    @Test
    void seesOwnTenantOnlyUnlessGlobalAdmin() {
        assertThat(policy.maySeeTenant(aliceAcme, "acme")).isTrue();
        assertThat(policy.maySeeTenant(aliceAcme, "beta")).isFalse();
        assertThat(policy.maySeeTenant(root, "beta")).isTrue();
        assertThat(policy.maySeeTenant(root, "not-declared")).isTrue();
    }

    @Test
    void clientIdRulesBindARolesClientIdsToItsUsers() throws Exception {
        AccessPolicy bound = new PolicyFiles(dir.resolve("bound")).users("root", "gw-acme-01", "alice", "bob")
                .acl("admin root", "clientid gateways %u", "clientid gateways %u-*", "tenant acme",
                        "gateways gw-acme-*", "operators alice", "clientid operators dash-%t-%u", "tenant beta",
                        "operators bob")
                .load();
        Principal gw = bound.principal("gw-acme-01").orElseThrow();
        Principal alice = bound.principal("alice").orElseThrow();

        assertThat(bound.mayUseClientId(gw, "gw-acme-01")).isTrue();
        assertThat(bound.mayUseClientId(gw, "gw-acme-01-modbus")).isTrue();
        assertThat(bound.mayUseClientId(gw, "gw-acme-02")).isFalse();
        assertThat(bound.mayUseClientId(alice, "dash-acme-alice")).isTrue();
        assertThat(bound.mayUseClientId(alice, "alice")).isFalse();
        assertThat(bound.mayUseClientId(bound.principal("bob").orElseThrow(), "anything")).isFalse();
        assertThat(bound.mayUseClientId(bound.principal("bob").orElseThrow(), "bob-laptop")).isTrue();
        assertThat(bound.mayUseClientId(bound.principal("root").orElseThrow(), "gw-acme-01")).isFalse();
        assertThat(bound.mayUseClientId(bound.principal("root").orElseThrow(), "anything")).isTrue();
    }

    @Test
    void withoutClientidLinesAMemberMayUseItsUserNameAndItsDashSuffixes() {
        assertThat(policy.mayUseClientId(aliceAcme, "alice")).isTrue();
        assertThat(policy.mayUseClientId(aliceAcme, "alice-dashboard")).isTrue();
        assertThat(policy.mayUseClientId(aliceAcme, "alice2")).isFalse();
        assertThat(policy.mayUseClientId(aliceAcme, "dashboard")).isFalse();
        assertThat(policy.mayUseClientId(gwAcme, "gw-acme-01-modbus")).isTrue();
    }

    @Test
    void aUsersOwnNameAndItsSuffixesAreNobodyElsesNotEvenAGlobalAdmins() throws Exception {
        AccessPolicy wide = new PolicyFiles(dir.resolve("wide")).users("root", "gw", "gw-2", "alice")
                .acl("admin root", "clientid gateways *", "tenant acme", "gateways gw gw-2", "operators alice")
                .load();
        Principal gw = wide.principal("gw").orElseThrow();

        assertThat(wide.mayUseClientId(gw, "anything")).as("widened by a clientid line").isTrue();
        assertThat(wide.mayUseClientId(gw, "gw-1")).isTrue();
        assertThat(wide.mayUseClientId(gw, "gw-2")).as("another gateway's own id").isFalse();
        assertThat(wide.mayUseClientId(gw, "gw-2-modbus")).as("the longest user name holds it").isFalse();
        assertThat(wide.mayUseClientId(wide.principal("root").orElseThrow(), "alice")).isFalse();
        assertThat(wide.mayUseClientId(wide.principal("root").orElseThrow(), "alice-x")).isFalse();
        assertThat(wide.mayUseClientId(Principal.anonymous(), "gw-2")).isFalse();
        assertThat(wide.holderOf("gw-2-modbus")).contains("gw-2");
        assertThat(wide.holderOf("gw-3-modbus")).contains("gw");
        assertThat(wide.holderOf("sensor-1")).isEmpty();
    }

    @Test
    void anIdTheBrokerAssignedIsAnyonesToUse() {
        String assigned = "hmq_AbC12_7_0123456789abcdef0123456789abcdef";

        assertThat(policy.mayUseClientId(aliceAcme, assigned)).isTrue();
        assertThat(policy.mayUseClientId(gwBeta, assigned)).isTrue();
        assertThat(policy.mayUseClientId(aliceAcme, "hmq_chosen")).isFalse();
    }

    @Test
    void anUnknownUserOrOneWithoutRoleIsCheckedAgainstTheDummyHash() {
        assertThat(policy.authenticate("nobody", "guess".toCharArray())).isEmpty();
        assertThat(policy.authenticate("eve", "eve-pw".toCharArray())).isEmpty();
        assertThat(policy.authenticate("alice", "guess".toCharArray())).isEmpty();

        assertThat(policy.dummyChecks()).as("nobody and eve, not alice").isEqualTo(2);
    }

    @Test
    void theDummyHashIsAsCostlyAsTheCostliestHashInTheFile() throws Exception {
        Path files = dir.resolve("costs");
        Files.createDirectories(files);
        Files.writeString(files.resolve("passwd"),
                "cheap:" + PasswordHash.pbkdf2Sha512("a".toCharArray(), 101) + "\n"
                        + "dear:" + PasswordHash.pbkdf2Sha512("b".toCharArray(), 2_000) + "\n");
        Files.writeString(files.resolve("acl"), "admin cheap dear\n");
        AccessPolicy costs = AccessPolicy.load(files.resolve("passwd"), files.resolve("acl"));

        assertThat(PasswordHash.iterations(costs.dummyHash())).isEqualTo(2_000);
        assertThat(PasswordHash.isWellFormed(costs.dummyHash())).isTrue();
        assertThat(costs.authenticate("nobody", "b".toCharArray())).isEmpty();
    }

    @Test
    void changedClientIdRulesChangeTheUsersTheyBind() throws Exception {
        PolicyFiles files = new PolicyFiles(dir.resolve("changed")).users("gw-acme-01", "alice");
        AccessPolicy before = files.acl("tenant acme", "gateways gw-acme-*", "operators alice").load();
        AccessPolicy after = files.acl("tenant acme", "gateways gw-acme-*", "operators alice", "clientid gateways %u")
                .load();

        assertThat(after.changedUsers(before)).containsExactly("gw-acme-01");
    }

    @Test
    void onlyUsersWithPasswordAndRoleCanLogIn() {
        assertThat(policy.canLogIn("alice")).isTrue();
        assertThat(policy.canLogIn("eve")).isFalse();
        assertThat(policy.canLogIn("nobody")).isFalse();
    }

    @Test
    void emptyPolicyAllowsNothing() {
        AccessPolicy empty = AccessPolicy.empty();

        assertThat(empty.authenticate("root", "root-pw".toCharArray())).isEmpty();
        assertThat(empty.principal("root")).isEmpty();
        assertThat(empty.mayPublish(root, "c", "x")).isFalse();
        assertThat(empty.maySubscribe(Principal.anonymous(), "c", "public/info")).isFalse();
        assertThat(empty.maySeeTenant(root, "acme")).isFalse();
    }
}
