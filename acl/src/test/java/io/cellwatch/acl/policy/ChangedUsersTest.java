package io.cellwatch.acl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellwatch.acl.password.PasswordFileWriter;
import io.cellwatch.acl.password.PasswordHash;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangedUsersTest {

    private static final String[] ACL = {
        "tenant acme", "operators alice bob carol", "gateways gw-*", "user carol", "topic deny tenants/acme/p1/#"};

    @TempDir
    Path dir;

    private PolicyFiles files;
    private AccessPolicy before;

    @BeforeEach
    void loadBefore() throws Exception {
        files = new PolicyFiles(dir).users("alice", "bob", "carol", "gw-1").acl(ACL);
        before = files.load();
    }

    @Test
    void unchangedFilesChangeNobody() throws Exception {
        assertThat(files.load().changedUsers(before)).isEmpty();
    }

    @Test
    void listsAUserRemovedFromThePasswordFile() throws Exception {
        PasswordFileWriter.delete(files.passwd, "bob");

        assertThat(files.load().changedUsers(before)).containsExactly("bob");
    }

    @Test
    void listsAUserRemovedFromTheAclFile() throws Exception {
        files.acl("tenant acme", "operators alice carol", "gateways gw-*", "user carol", "topic deny tenants/acme/p1/#");

        assertThat(files.load().changedUsers(before)).containsExactly("bob");
    }

    @Test
    void listsAUserWhosePasswordChanged() throws Exception {
        PasswordFileWriter.put(files.passwd, "alice", PasswordHash.pbkdf2Sha512("new".toCharArray()));

        assertThat(files.load().changedUsers(before)).containsExactly("alice");
    }

    @Test
    void listsAUserWhoseRoleChanged() throws Exception {
        files.acl("tenant acme", "operators bob carol", "admins alice", "gateways gw-*", "user carol",
                "topic deny tenants/acme/p1/#");

        assertThat(files.load().changedUsers(before)).containsExactly("alice");
    }

    @Test
    void listsAUserWhoseOwnRulesChanged() throws Exception {
        files.acl("tenant acme", "operators alice bob carol", "gateways gw-*", "user carol",
                "topic deny tenants/acme/p2/#");

        assertThat(files.load().changedUsers(before)).containsExactly("carol");
    }

    @Test
    void listsEveryMemberWhenTenantRulesChange() throws Exception {
        files.acl("tenant acme", "operators alice bob carol", "gateways gw-*", "topic deny tenants/acme/q/#",
                "user carol", "topic deny tenants/acme/p1/#");

        assertThat(files.load().changedUsers(before)).containsExactly("alice", "bob", "carol", "gw-1");
    }

    @Test
    void listsEveryoneAgainstTheEmptyPolicy() {
        assertThat(before.changedUsers(AccessPolicy.empty())).containsExactly("alice", "bob", "carol", "gw-1");
    }
}
