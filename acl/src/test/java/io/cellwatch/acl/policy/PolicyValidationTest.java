package io.cellwatch.acl.policy;

import io.cellwatch.acl.rules.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems only the password file and ACL file together reveal. */
class PolicyValidationTest {

    @TempDir
    Path dir;

    @Test
    void rejectsAUserInTwoTenantsNamingBothLines() throws Exception {
        PolicyFiles files = new PolicyFiles(dir).users("alice")
                .acl("tenant acme", "operators alice", "tenant beta", "operators alice");

        assertProblems(files, files.acl + ":4: user 'alice' is a member of tenant 'acme' (line 2) "
                + "and of tenant 'beta' (line 4)");
    }

    @Test
    void rejectsOverlappingGlobsAcrossTenantsOncePerPairOfLines() throws Exception {
        PolicyFiles files = new PolicyFiles(dir).users("gw-1", "gw-2", "gw-3")
                .acl("tenant acme", "gateways gw-*", "tenant beta", "gateways gw-1", "gateways *");

        assertProblems(files,
                files.acl + ":4: user 'gw-1' is a member of tenant 'acme' (line 2) and of tenant 'beta' (line 4)",
                files.acl + ":5: user 'gw-2' is a member of tenant 'acme' (line 2) and of tenant 'beta' (line 5)");
    }

    @Test
    void rejectsAGlobalAdminWhoIsAlsoATenantMember() throws Exception {
        PolicyFiles files = new PolicyFiles(dir).users("root").acl("admin root", "tenant acme", "admins root");

        assertProblems(files, files.acl + ":3: user 'root' is a global admin (line 1) and a member of tenant 'acme'");
    }

    @Test
    void rejectsTwoRolesInOneTenantUnlessAnExactNameBeatsAGlob() throws Exception {
        PolicyFiles clash = new PolicyFiles(dir).users("alice")
                .acl("tenant acme", "operators alice", "admins alice");
        assertProblems(clash, clash.acl + ":3: user 'alice' has two roles in tenant 'acme': operator (line 2) "
                + "and tenant-admin (line 3)");

        AccessPolicy policy = new PolicyFiles(dir).users("gw-1", "gw-boss")
                .acl("tenant acme", "gateways gw-*", "admins gw-boss").load();
        assertThat(policy.principal("gw-boss").orElseThrow().role()).isEqualTo(Role.TENANT_ADMIN);
        assertThat(policy.principal("gw-1").orElseThrow().role()).isEqualTo(Role.GATEWAY);
    }

    @Test
    void rejectsAUserBlockThatLeavesTheMembersTenant() throws Exception {
        PolicyFiles files = new PolicyFiles(dir).users("dave")
                .acl("tenant acme", "operators dave", "tenant beta", "user dave",
                        "topic read tenants/beta/x/#", "topic read other/#", "topic read tenants/%t/ok/#");

        assertProblems(files,
                files.acl + ":5: user 'dave' is a member of tenant 'acme': topic 'tenants/beta/x/#' is outside tenants/acme/",
                files.acl + ":6: user 'dave' is a member of tenant 'acme': topic 'other/#' is outside tenants/acme/");
    }

    @Test
    void reportsProblemsOfBothFilesTogether() throws Exception {
        Files.writeString(dir.resolve("passwd"), "broken\n");
        Files.writeString(dir.resolve("acl"), "nonsense\n");

        assertThatThrownBy(() -> AccessPolicy.load(dir.resolve("passwd"), dir.resolve("acl")))
                .isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(e.problems())
                        .map(FileProblem::toString)
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("passwd") + ":1: missing ':'"))
                        .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("acl") + ":1: unknown keyword")));
    }

    @Test
    void reportsMissingFilesByName() {
        assertThatThrownBy(() -> AccessPolicy.load(dir.resolve("passwd"), dir.resolve("acl")))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageContaining(dir.resolve("passwd") + ": file does not exist")
                .hasMessageContaining(dir.resolve("acl") + ": file does not exist");
    }

    @Test
    void warnsAboutMembersWithoutPasswordsAndUselessLines() throws Exception {
        AccessPolicy policy = new PolicyFiles(dir).users("alice", "eve")
                .acl("tenant acme", "operators alice bob", "gateways gw-*", "user nobody", "topic deny tenants/acme/x")
                .load();

        assertThat(policy.warnings()).containsExactlyInAnyOrder(
                dir.resolve("acl") + ": 'bob' has a role but no password in " + dir.resolve("passwd") + "; cannot log in",
                dir.resolve("passwd") + ": user 'eve' has no role in " + dir.resolve("acl") + "; cannot log in",
                dir.resolve("acl") + ":3: 'gw-*' matches no user in " + dir.resolve("passwd"),
                dir.resolve("acl") + ":4: user block for 'nobody' has no effect: not a tenant member or global admin");
    }

    private static void assertProblems(PolicyFiles files, String... expected) {
        assertThatThrownBy(files::load).isInstanceOfSatisfying(InvalidFileException.class,
                e -> assertThat(e.problems()).map(FileProblem::toString).containsExactly(expected));
    }
}
