package io.cellwatch.acl.policy;

import io.cellwatch.acl.FileProblem;
import io.cellwatch.acl.InvalidFileException;
import io.cellwatch.acl.TextFile;
import io.cellwatch.acl.password.PasswordFile;
import io.cellwatch.acl.password.PasswordHash;
import io.cellwatch.acl.password.VerificationCache;
import io.cellwatch.acl.rules.AclFile;
import io.cellwatch.acl.rules.TenantLimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Who may log in and what each principal may publish, subscribe to and see, from one password file and one ACL
 * file. Every check passes the hard tenant confinement first (see {@code docs/access-control.md}), then deny rules,
 * then grants. Immutable and thread-safe; {@link #mayPublish} is allocation-free and meant for the publish path.
 */
public final class AccessPolicy {

    private static final AccessPolicy EMPTY = new AccessPolicy(null, Map.of(),
            new UserRules(Principal.anonymous(), List.of(), List.of()), List.of(), Set.of(), false, Map.of());

    private final PasswordFile passwords;
    private final Map<String, UserRules> users;
    private final UserRules anonymous;
    private final List<String> warnings;
    private final Set<String> tenants;
    private final boolean adminTakeover;
    private final Map<String, Map<TenantLimit, Long>> tenantLimits;
    private final VerificationCache verified = new VerificationCache();
    private final String dummyHash;
    private final LongAdder dummyChecks = new LongAdder();

    /** The ids HiveMQ assigns to clients that connect with an empty one: {@code hmq_<broker>_<n>_<128-bit hex>}. */
    private static final Pattern ASSIGNED_CLIENT_ID = Pattern.compile("hmq_[A-Za-z0-9]+_[0-9]+_[0-9a-f]{32}");

    private AccessPolicy(PasswordFile passwords, Map<String, UserRules> users, UserRules anonymous,
                         List<String> warnings, Set<String> tenants, boolean adminTakeover,
                         Map<String, Map<TenantLimit, Long>> tenantLimits) {
        this.passwords = passwords;
        this.users = users;
        this.anonymous = anonymous;
        this.warnings = List.copyOf(warnings);
        this.tenants = Collections.unmodifiableSet(new TreeSet<>(tenants));
        this.adminTakeover = adminTakeover;
        this.tenantLimits = Map.copyOf(tenantLimits);
        this.dummyHash = PasswordHash.dummyLike(passwords == null ? List.of()
                : passwords.users().stream().map(u -> passwords.hashOf(u).orElse(null)).toList());
    }

    /** A policy nobody can use: no one authenticates, every check is denied. */
    public static AccessPolicy empty() {
        return EMPTY;
    }

    /** Reads, validates and joins both files; a missing file is a problem naming it. */
    public static AccessPolicy load(Path passwordFile, Path aclFile) throws InvalidFileException {
        List<FileProblem> problems = new ArrayList<>();
        String passwordText = readInto(passwordFile, problems);
        String aclText = readInto(aclFile, problems);
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        return parse(passwordFile, passwordText, aclFile, aclText);
    }

    /** As {@link #load} for content already read (the watcher hashes exactly the bytes it parses). */
    static AccessPolicy parse(Path passwordFile, String passwordText, Path aclFile, String aclText)
            throws InvalidFileException {
        List<FileProblem> problems = new ArrayList<>();
        PasswordFile passwords = null;
        AclFile acl = null;
        try {
            passwords = PasswordFile.parse(passwordFile, passwordText);
        } catch (InvalidFileException e) {
            problems.addAll(e.problems());
        }
        try {
            acl = AclFile.parse(aclFile, aclText);
        } catch (InvalidFileException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        PolicyCompiler compiler = new PolicyCompiler(passwords, acl);
        Map<String, UserRules> users = compiler.compile();
        UserRules anonymous = compiler.anonymous();
        if (!compiler.problems().isEmpty()) {
            throw new InvalidFileException(compiler.problems());
        }
        return new AccessPolicy(passwords, Collections.unmodifiableMap(users), anonymous, compiler.warnings(),
                acl.tenants().keySet(), acl.adminTakeover(), limitsOf(acl));
    }

    private static Map<String, Map<TenantLimit, Long>> limitsOf(AclFile acl) {
        Map<String, Map<TenantLimit, Long>> limits = new java.util.HashMap<>();
        acl.tenants().values().stream().filter(t -> !t.limits().isEmpty())
                .forEach(t -> limits.put(t.id(), t.limits()));
        return limits;
    }

    private static String readInto(Path file, List<FileProblem> problems) {
        try {
            return TextFile.read(file);
        } catch (InvalidFileException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /**
     * The principal for a user whose password matches, or empty. A user with a password but no role or tenant in
     * the ACL file is refused (and listed in {@link #warnings()}). Successful checks are cached per policy as a
     * SHA-256 of the password, so repeated logins cost microseconds; a reload starts a fresh cache. An unknown user,
     * or one without a role, costs as much as a wrong password of a known user (a dummy hash as costly as the
     * file's costliest is checked), so the time of a refusal does not tell which user names exist.
     */
    public Optional<Principal> authenticate(String user, char[] password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        UserRules rules = users.get(user);
        Optional<String> hash = passwords == null ? Optional.empty() : passwords.hashOf(user);
        if (rules == null || hash.isEmpty()) {
            dummyChecks.increment();
            PasswordHash.verify(dummyHash, password);
            return Optional.empty();
        }
        return verified.verify(user, hash.get(), password) ? Optional.of(rules.principal()) : Optional.empty();
    }

    /** True if {@code user} has a password and a role, so it can log in under this policy. */
    public boolean canLogIn(String user) {
        return user != null && passwords != null && users.containsKey(user) && passwords.hashOf(user).isPresent();
    }

    /** The principal the ACL file makes of a user (members named by a glob need a password-file entry). */
    public Optional<Principal> principal(String user) {
        UserRules rules = users.get(user);
        return rules == null ? Optional.empty() : Optional.of(rules.principal());
    }

    /**
     * True if the principal may claim {@code clientId} (docs/access-control.md, "Client identifiers and sessions"):
     * an id the broker assigned is anyone's; an id held by a user — its user name, or its user name, a dash and
     * anything (the longest such name holds it) — is that user's alone; beyond that a tenant member is bound to the
     * {@code clientid} lines of its role (none: its user name and {@code <user>-*}), while global admins and
     * anonymous clients may use any id nobody holds. False for a principal this policy does not know as such.
     */
    public boolean mayUseClientId(Principal principal, String clientId) {
        UserRules rules = rulesOf(principal);
        if (rules == null || clientId == null) {
            return false;
        }
        if (isAssigned(clientId)) {
            return true;
        }
        Optional<String> holder = holderOf(clientId);
        if (holder.isPresent() && !holder.get().equals(principal.user())) {
            return false;
        }
        return principal.tenant().isEmpty() || rules.mayUseClientId(clientId);
    }

    /** The user whose namespace holds {@code clientId}: the user of that name, else the longest {@code <user>-…}. */
    public Optional<String> holderOf(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        if (isUser(clientId)) {
            return Optional.of(clientId);
        }
        for (int dash = clientId.lastIndexOf('-'); dash > 0; dash = clientId.lastIndexOf('-', dash - 1)) {
            String prefix = clientId.substring(0, dash);
            if (isUser(prefix)) {
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }

    /** True if {@code clientId} has the shape of an id the broker assigns to a client that sent none. */
    public static boolean isAssigned(String clientId) {
        return clientId != null && ASSIGNED_CLIENT_ID.matcher(clientId).matches();
    }

    private boolean isUser(String name) {
        return users.containsKey(name) || (passwords != null && passwords.hashOf(name).isPresent());
    }

    /** How many logins were checked against the dummy hash (unknown users, users without role); for tests. */
    long dummyChecks() {
        return dummyChecks.sum();
    }

    /** The dummy hash unknown users are checked against; for tests. */
    String dummyHash() {
        return dummyHash;
    }

    /** True if the ACL file says {@code admin-takeover allow}: global admins may take over any client's session. */
    public boolean adminTakeover() {
        return adminTakeover;
    }

    /** True if the principal may publish to the topic; false for a principal this policy does not know as such. */
    public boolean mayPublish(Principal principal, String clientId, String topic) {
        UserRules rules = rulesOf(principal);
        return rules != null && topic != null && rules.mayPublish(clientId, topic);
    }

    /** True if the principal may subscribe to the filter (a {@code $share/<group>/} prefix is looked through). */
    public boolean maySubscribe(Principal principal, String clientId, String topicFilter) {
        UserRules rules = rulesOf(principal);
        return rules != null && topicFilter != null && rules.maySubscribe(clientId, topicFilter);
    }

    /** True if the principal may see the tenant over HTTP: a global admin every tenant, a member its own. */
    public boolean maySeeTenant(Principal principal, String tenant) {
        UserRules rules = rulesOf(principal);
        if (rules == null || tenant == null || principal.role() == Role.ANONYMOUS) {
            return false;
        }
        return principal.role() == Role.ADMIN || principal.tenant().map(tenant::equals).orElse(false);
    }

    /** Every tenant declared in the ACL file, sorted. */
    public Set<String> tenants() {
        return tenants;
    }

    /**
     * The quotas the {@code limit} lines of each tenant block set, by tenant id; a tenant without such lines (or not
     * declared) is absent and gets the server-wide defaults. A reload brings the new values.
     */
    public Map<String, Map<TenantLimit, Long>> tenantLimits() {
        return tenantLimits;
    }

    /**
     * Users whose sessions this policy invalidates compared with {@code previous}: removed from either file, or
     * with a changed password hash, tenant, role or rules. Sorted.
     */
    public Set<String> changedUsers(AccessPolicy previous) {
        Objects.requireNonNull(previous, "previous");
        Set<String> all = new TreeSet<>();
        all.addAll(users.keySet());
        all.addAll(previous.users.keySet());
        all.addAll(passwordUsers());
        all.addAll(previous.passwordUsers());
        Set<String> changed = new TreeSet<>();
        for (String user : all) {
            if (!Objects.equals(hashOf(user), previous.hashOf(user))
                    || !Objects.equals(users.get(user), previous.users.get(user))) {
                changed.add(user);
            }
        }
        return Collections.unmodifiableSet(changed);
    }

    /** Things an admin should know that do not stop the policy: members without password, users without role. */
    public List<String> warnings() {
        return warnings;
    }

    private Set<String> passwordUsers() {
        return passwords == null ? Set.of() : passwords.users();
    }

    private String hashOf(String user) {
        return passwords == null ? null : passwords.hashOf(user).orElse(null);
    }

    /** The rules for exactly this principal; a principal from an older policy whose role changed gets none. */
    private UserRules rulesOf(Principal principal) {
        if (principal == null) {
            return null;
        }
        UserRules rules = principal.role() == Role.ANONYMOUS ? anonymous : users.get(principal.user());
        return rules != null && rules.principal().equals(principal) ? rules : null;
    }
}
