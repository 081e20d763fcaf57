package io.cellwatch.acl.policy;

import io.cellwatch.acl.FileProblem;
import io.cellwatch.acl.password.PasswordFile;
import io.cellwatch.acl.rules.Access;
import io.cellwatch.acl.rules.AclFile;
import io.cellwatch.acl.rules.MemberEntry;
import io.cellwatch.acl.rules.RuleLine;
import io.cellwatch.acl.rules.TenantBlock;
import io.cellwatch.acl.rules.TopicFilter;
import io.cellwatch.acl.rules.UserBlock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Joins a password file and an ACL file into per-user rules, finding what only the two together reveal: users in
 * two tenants (globs included), admins who are also members, user blocks that leave their member's tenant.
 * Single use; not thread-safe.
 */
final class PolicyCompiler {

    private final PasswordFile passwords;
    private final AclFile acl;
    private final List<FileProblem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Problems about a pair of lines are reported once, not once per user a glob matches. */
    private final Set<String> reported = new HashSet<>();

    PolicyCompiler(PasswordFile passwords, AclFile acl) {
        this.passwords = passwords;
        this.acl = acl;
    }

    List<FileProblem> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    Map<String, UserRules> compile() {
        Set<String> candidates = new LinkedHashSet<>(passwords.users());
        acl.tenants().values().forEach(t -> t.members().stream().filter(m -> !m.glob())
                .forEach(m -> candidates.add(m.name())));
        candidates.addAll(acl.admins().keySet());

        Map<String, UserRules> users = new LinkedHashMap<>();
        for (String user : candidates) {
            Principal principal = resolve(user);
            if (principal != null) {
                users.put(user, new UserRules(principal, rulesOf(principal), clientIdGlobsOf(principal)));
            }
        }
        warn(users);
        return users;
    }

    /** The anonymous principal's rules: the topic lines before the first tenant or user block. */
    UserRules anonymous() {
        List<CompiledRule> rules = new ArrayList<>();
        for (RuleLine r : acl.anonymousRules()) {
            rules.add(new CompiledRule(r.access(), TopicFilter.of(r.filter().split("/", -1))));
        }
        return new UserRules(Principal.anonymous(), rules, List.of());
    }

    private Principal resolve(String user) {
        Integer adminLine = acl.admins().get(user);
        List<MemberEntry> matches = new ArrayList<>();
        acl.tenants().values().forEach(t -> t.members().stream().filter(m -> m.matches(user)).forEach(matches::add));
        if (adminLine != null) {
            for (MemberEntry m : matches) {
                report(m.line(), "admin:" + m.line(), "user '" + user + "' is a global admin (line " + adminLine
                        + ") and a member of tenant '" + m.tenant() + "'");
            }
            return matches.isEmpty() ? new Principal(user, Optional.empty(), Role.ADMIN) : null;
        }
        if (matches.isEmpty()) {
            return null;
        }
        MemberEntry first = matches.get(0);
        for (MemberEntry m : matches) {
            if (!m.tenant().equals(first.tenant())) {
                report(m.line(), "tenants:" + first.line() + ":" + m.line(), "user '" + user
                        + "' is a member of tenant '" + first.tenant() + "' (line " + first.line()
                        + ") and of tenant '" + m.tenant() + "' (line " + m.line() + ")");
                return null;
            }
        }
        // An exact name beats a glob, so "gateways gw-*" and "admins gw-boss" can share a tenant.
        List<MemberEntry> chosen = matches.stream().filter(m -> !m.glob()).toList();
        if (chosen.isEmpty()) {
            chosen = matches;
        }
        MemberEntry winner = chosen.get(0);
        for (MemberEntry m : chosen) {
            if (m.role() != winner.role()) {
                report(m.line(), "roles:" + winner.line() + ":" + m.line(), "user '" + user + "' has two roles in tenant '"
                        + m.tenant() + "': " + winner.role().word() + " (line " + winner.line() + ") and "
                        + m.role().word() + " (line " + m.line() + ")");
                return null;
            }
        }
        return new Principal(user, Optional.of(winner.tenant()), winner.role());
    }

    /**
     * The client ids a tenant member may use, from the {@code clientid} lines of its role; none: its own namespace,
     * the user name and {@code <user>-*} (a secure default: nobody squats ids a gateway of another user needs).
     */
    private List<String> clientIdGlobsOf(Principal principal) {
        String tenant = principal.tenant().orElse(null);
        if (tenant == null) {
            return List.of();
        }
        List<String> globs = acl.clientIdRules().stream()
                .filter(r -> r.role() == principal.role() && (r.tenant() == null || r.tenant().equals(tenant)))
                .map(r -> r.globFor(principal.user(), tenant))
                .toList();
        return globs.isEmpty() ? List.of(principal.user(), principal.user() + "-*") : globs;
    }

    private List<CompiledRule> rulesOf(Principal principal) {
        List<CompiledRule> rules = new ArrayList<>();
        String user = principal.user();
        String tenant = principal.tenant().orElse(null);
        if (tenant != null) {
            Access byRole = switch (principal.role()) {
                case GATEWAY -> Access.WRITE;
                case OPERATOR -> Access.READ;
                default -> Access.READWRITE;
            };
            rules.add(new CompiledRule(byRole, TopicFilter.of("tenants", tenant, "#")));
            TenantBlock block = acl.tenants().get(tenant);
            block.rules().forEach(r -> add(rules, r, user, tenant));
            acl.patterns().forEach(r -> add(rules, r, user, tenant));
        }
        UserBlock own = acl.users().get(user);
        if (own != null) {
            for (RuleLine r : own.rules()) {
                if (userRuleAllowed(principal, r)) {
                    add(rules, r, user, tenant);
                }
            }
        }
        return rules;
    }

    private boolean userRuleAllowed(Principal principal, RuleLine r) {
        String[] levels = r.filter().split("/", -1);
        boolean usesTenant = List.of(levels).contains("%t");
        if (principal.role() == Role.ADMIN) {
            if (usesTenant) {
                problem(r.line(), "global admin '" + principal.user() + "' has no tenant for %t in '" + r.filter() + "'");
                return false;
            }
            return true;
        }
        if (r.foreign()) {
            return true; // checked by the parser: outside tenants/ and $, no empty level
        }
        String tenant = principal.tenant().orElseThrow();
        boolean inside = levels.length >= 3 && levels[0].equals("tenants")
                && (levels[1].equals(tenant) || levels[1].equals("%t"));
        if (!inside) {
            problem(r.line(), "user '" + principal.user() + "' is a member of tenant '" + tenant + "': topic '"
                    + r.filter() + "' is outside tenants/" + tenant + "/");
            return false;
        }
        if (List.of(levels).contains("")) {
            problem(r.line(), "topic '" + r.filter() + "' has an empty level");
            return false;
        }
        return true;
    }

    /** Substitutes %t and %u; a user name unfit for a level drops a grant and widens a deny to '+'. */
    private static void add(List<CompiledRule> rules, RuleLine r, String user, String tenant) {
        String[] levels = r.filter().split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("%t")) {
                levels[i] = tenant;
            } else if (levels[i].equals("%u")) {
                if (TopicFilter.isSafeLevel(user)) {
                    levels[i] = user;
                } else if (r.access() == Access.DENY) {
                    levels[i] = "+";
                } else {
                    return;
                }
            }
        }
        rules.add(new CompiledRule(r.access(), TopicFilter.of(levels)));
    }

    private void warn(Map<String, UserRules> users) {
        String pw = passwords.file().toString();
        for (String user : users.keySet()) {
            if (passwords.hashOf(user).isEmpty()) {
                warnings.add(acl.file() + ": '" + user + "' has a role but no password in " + pw + "; cannot log in");
            }
        }
        for (String user : passwords.users()) {
            if (!users.containsKey(user)) {
                warnings.add(pw + ": user '" + user + "' has no role in " + acl.file() + "; cannot log in");
            }
        }
        for (TenantBlock t : acl.tenants().values()) {
            for (MemberEntry m : t.members()) {
                if (m.glob() && passwords.users().stream().noneMatch(m::matches)) {
                    warnings.add(acl.file() + ":" + m.line() + ": '" + m.name() + "' matches no user in " + pw);
                }
            }
        }
        for (UserBlock u : acl.users().values()) {
            if (!users.containsKey(u.user())) {
                warnings.add(acl.file() + ":" + u.line() + ": user block for '" + u.user()
                        + "' has no effect: not a tenant member or global admin");
            }
        }
    }

    private void report(int line, String key, String message) {
        if (reported.add(key)) {
            problem(line, message);
        }
    }

    private void problem(int line, String message) {
        problems.add(new FileProblem(acl.file(), line, message));
    }
}
