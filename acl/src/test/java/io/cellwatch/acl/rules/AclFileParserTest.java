package io.cellwatch.acl.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AclFileParserTest {

    private static final Path FILE = Path.of("conf/acl");

    @Test
    void parsesTenantsRolesRulesAndInlineComments() throws Exception {
        AclFile acl = AclFile.parse(FILE, String.join("\n",
                "# header",
                "admin root ops   # global admins",
                "topic read public/info",
                "pattern write tenants/%t/clients/%c/#",
                "",
                "tenant acme",
                "gateways gw-acme-*",
                "operators alice bob # people",
                "admins carol",
                "topic read tenants/acme/alerts/#   # extra",
                "topic deny tenants/%t/secret/#",
                "pattern tenants/%t/users/%u/#",
                "user dave",
                "topic deny tenants/acme/plants/p1/#",
                "topic tenants/acme/x/#"));

        assertThat(acl.admins()).containsOnlyKeys("root", "ops");
        assertThat(acl.anonymousRules()).containsExactly(new RuleLine(3, Access.READ, "public/info", false));
        assertThat(acl.patterns()).containsExactly(new RuleLine(4, Access.WRITE, "tenants/%t/clients/%c/#", true));
        TenantBlock acme = acl.tenants().get("acme");
        assertThat(acme.members()).containsExactly(
                new MemberEntry("gw-acme-*", Role.GATEWAY, "acme", 7),
                new MemberEntry("alice", Role.OPERATOR, "acme", 8),
                new MemberEntry("bob", Role.OPERATOR, "acme", 8),
                new MemberEntry("carol", Role.TENANT_ADMIN, "acme", 9));
        assertThat(acme.rules()).containsExactly(
                new RuleLine(10, Access.READ, "tenants/acme/alerts/#", false),
                new RuleLine(11, Access.DENY, "tenants/%t/secret/#", false),
                new RuleLine(12, Access.READWRITE, "tenants/%t/users/%u/#", true));
        assertThat(acl.users().get("dave").rules()).containsExactly(
                new RuleLine(14, Access.DENY, "tenants/acme/plants/p1/#", false),
                new RuleLine(15, Access.READWRITE, "tenants/acme/x/#", false));
    }

    @Test
    void readsALoneHashAsTheFilterNotAComment() throws Exception {
        AclFile acl = AclFile.parse(FILE, "user root\ntopic read #\ntopic # # comment\n");

        assertThat(acl.users().get("root").rules()).extracting(RuleLine::filter).containsExactly("#", "#");
    }

    @Test
    void rejectsUnknownKeyword() {
        assertProblems("tenant acme\noperator alice\n",
                "conf/acl:2: unknown keyword 'operator' (expected admin, tenant, gateways, operators, admins, user, topic,"
                        + " pattern, foreign, clientid, admin-takeover or limit)");
    }

    @Test
    void readsClientIdRulesGloballyAndPerTenant() throws Exception {
        AclFile acl = AclFile.parse(FILE, "clientid gateways %u\ntenant acme\nclientid operators dash-%u-*\n");

        assertThat(acl.clientIdRules()).containsExactly(
                new ClientIdRule(1, Role.GATEWAY, "%u", null),
                new ClientIdRule(3, Role.OPERATOR, "dash-%u-*", "acme"));
    }

    @Test
    void rejectsBadClientIdLinesWithTheirLine() {
        assertProblems("clientid gateway %u\nclientid gateways\nclientid admins %c-*\nuser bob\nclientid gateways %u\n",
                "conf/acl:1: bad role 'gateway' for 'clientid' (expected gateways, operators or admins)",
                "conf/acl:2: 'clientid' needs a role (gateways, operators or admins) and one pattern, e.g. "
                        + "'clientid gateways %u-*'",
                "conf/acl:3: bad client id pattern '%c-*': only %u (user) and %t (tenant) are substituted",
                "conf/acl:5: 'clientid' applies to a role: put it in a tenant block or before the first tenant or "
                        + "user block");
    }

    @Test
    void adminTakeoverIsOffUnlessAllowed() throws Exception {
        assertThat(AclFile.parse(FILE, "admin root\n").adminTakeover()).isFalse();
        assertThat(AclFile.parse(FILE, "admin-takeover allow\nadmin root\n").adminTakeover()).isTrue();
    }

    @Test
    void rejectsAdminTakeoverTwiceOrInsideABlock() {
        assertProblems("admin-takeover deny\nadmin-takeover allow\ntenant acme\nadmin-takeover allow\n",
                "conf/acl:2: 'admin-takeover' is already set at line 1",
                "conf/acl:4: 'admin-takeover' is a global setting: put it before the first tenant or user block");
    }

    @Test
    void rejectsMissingArguments() {
        assertProblems("admin\ntenant\nuser\ntenant a\ngateways\ntopic\ntopic read\n",
                "conf/acl:1: 'admin' needs at least one user name",
                "conf/acl:2: 'tenant' needs a tenant id",
                "conf/acl:3: 'user' needs at least one user name",
                "conf/acl:5: 'gateways' needs at least one user name",
                "conf/acl:6: 'topic' needs a topic filter",
                "conf/acl:7: 'topic' needs a topic filter");
    }

    @Test
    void rejectsBadAccessWord() {
        assertProblems("tenant a\ntopic reed tenants/a/x\n",
                "conf/acl:2: bad access 'reed' (expected read, write, readwrite or deny)");
    }

    @Test
    void rejectsTextAfterTheFilter() {
        assertProblems("tenant a\ntopic read tenants/a/x extra\n",
                "conf/acl:2: unexpected text after the topic filter: 'extra'");
    }

    @Test
    void rejectsBadTenantIds() {
        assertProblems("tenant ac.me\ntenant a/b\ntenant a b\ntenant " + "t".repeat(65) + "\n",
                "conf/acl:1: bad tenant id 'ac.me': use letters, digits, '_' and '-' (at most 64)",
                "conf/acl:2: bad tenant id 'a/b': use letters, digits, '_' and '-' (at most 64)",
                "conf/acl:3: 'tenant' takes exactly one tenant id",
                "conf/acl:4: bad tenant id '" + "t".repeat(65) + "': use letters, digits, '_' and '-' (at most 64)");
    }

    @Test
    void rejectsATenantDeclaredTwice() {
        assertProblems("tenant a\ntenant b\ntenant a\n", "conf/acl:3: tenant 'a' is already declared at line 1");
    }

    @Test
    void rejectsMembersOutsideATenantBlock() {
        assertProblems("operators alice\nuser bob\nadmins carol\n",
                "conf/acl:1: 'operators' must be inside a tenant block",
                "conf/acl:3: 'admins' must be inside a tenant block");
    }

    @Test
    void rejectsGlobsForGlobalAdminsAndUsers() {
        assertProblems("admin root*\nuser x*\n",
                "conf/acl:1: 'admin' takes exact user names, not globs: 'root*'",
                "conf/acl:2: 'user' takes exact user names, not globs: 'x*'");
    }

    @Test
    void rejectsTenantRulesOutsideTheTenant() {
        assertProblems(String.join("\n", "tenant acme",
                        "topic read tenants/beta/x/#",
                        "topic read tenants/+/x",
                        "topic read #",
                        "topic read tenants/acme",
                        "pattern read devices/%u/#"),
                "conf/acl:2: topic 'tenants/beta/x/#' is outside the tenant: a rule of tenant 'acme' must start with tenants/acme/ or tenants/%t/",
                "conf/acl:3: topic 'tenants/+/x' is outside the tenant: a rule of tenant 'acme' must start with tenants/acme/ or tenants/%t/",
                "conf/acl:4: topic '#' is outside the tenant: a rule of tenant 'acme' must start with tenants/acme/ or tenants/%t/",
                "conf/acl:5: topic 'tenants/acme' is outside the tenant: a rule of tenant 'acme' must start with tenants/acme/ or tenants/%t/",
                "conf/acl:6: topic 'devices/%u/#' is outside the tenant: a rule of tenant 'acme' must start with tenants/acme/ or tenants/%t/");
    }

    @Test
    void rejectsGlobalPatternsNotUnderTenantPlaceholder() {
        assertProblems("pattern read tenants/acme/%u/#\n",
                "conf/acl:1: topic 'tenants/acme/%u/#' is outside the tenant: a pattern outside tenant blocks must start with tenants/%t/");
    }

    @Test
    void rejectsEmptyLevelsInTenantRules() {
        assertProblems("tenant acme\ntopic read tenants/acme//x\n",
                "conf/acl:2: topic 'tenants/acme//x' has an empty level");
    }

    @Test
    void rejectsInvalidFilters() {
        assertProblems(String.join("\n", "tenant acme",
                        "topic read tenants/acme/#/x",
                        "topic read tenants/acme/a+",
                        "topic read tenants/acme/a#",
                        "pattern read tenants/%t/x%u"),
                "conf/acl:2: invalid topic filter 'tenants/acme/#/x': '#' must be a whole level and the last one",
                "conf/acl:3: invalid topic filter 'tenants/acme/a+': '+' must be a whole level",
                "conf/acl:4: invalid topic filter 'tenants/acme/a#': '#' must be a whole level and the last one",
                "conf/acl:5: invalid topic filter 'tenants/%t/x%u': %u, %c and %t must be a whole level");
    }

    @Test
    void rejectsUserAndClientPlaceholdersInTopicLines() {
        assertProblems("tenant acme\ntopic read tenants/acme/%u\n",
                "conf/acl:2: %u and %c are only substituted in 'pattern' lines: 'tenants/acme/%u'");
    }

    @Test
    void rejectsPatternsInsideUserBlocks() {
        assertProblems("user dave\npattern read tenants/%t/%u\n",
                "conf/acl:2: 'pattern' lines apply to every user: put them in a tenant block or before the first tenant or user block");
    }

    @Test
    void confinesAnonymousRulesToNonTenantTopics() {
        assertProblems("topic read tenants/acme/#\ntopic read #\ntopic read +/x\ntopic read $SYS/#\ntopic read public/#\n",
                "conf/acl:1: topic 'tenants/acme/#' is not allowed for anonymous clients (rules before the first tenant or user block): they may not name tenants/, $ topics or start with a wildcard",
                "conf/acl:2: topic '#' is not allowed for anonymous clients (rules before the first tenant or user block): they may not name tenants/, $ topics or start with a wildcard",
                "conf/acl:3: topic '+/x' is not allowed for anonymous clients (rules before the first tenant or user block): they may not name tenants/, $ topics or start with a wildcard",
                "conf/acl:4: topic '$SYS/#' is not allowed for anonymous clients (rules before the first tenant or user block): they may not name tenants/, $ topics or start with a wildcard");
    }

    @Test
    void reportsAllProblemsInOneException() {
        assertThatThrownBy(() -> AclFile.parse(FILE, "bogus\ntenant a b\n"))
                .isInstanceOf(InvalidFileException.class)
                .hasMessageStartingWith("2 problems:\n")
                .hasMessageContaining("conf/acl:1: unknown keyword 'bogus'")
                .hasMessageContaining("conf/acl:2: 'tenant' takes exactly one tenant id");
    }

    private static void assertProblems(String content, String... expected) {
        assertThatThrownBy(() -> AclFile.parse(FILE, content))
                .isInstanceOfSatisfying(InvalidFileException.class, e -> assertThat(e.problems())
                        .map(FileProblem::toString).containsExactly(expected));
    }
}
