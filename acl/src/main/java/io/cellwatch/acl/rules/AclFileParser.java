package io.cellwatch.acl.rules;

import io.cellwatch.contract.TopicFilter;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.files.FileProblem;
import io.cellwatch.files.InvalidFileException;
import io.cellwatch.acl.password.PasswordFileWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses one ACL file, collecting every problem with its line. Single use; not thread-safe. */
final class AclFileParser {

    private enum Section { GLOBAL, TENANT, USER }

    private final Path file;
    private final List<FileProblem> problems = new ArrayList<>();
    private final Map<String, Integer> admins = new LinkedHashMap<>();
    private final Map<String, TenantBuilder> tenants = new LinkedHashMap<>();
    private final Map<String, UserBuilder> users = new LinkedHashMap<>();
    private final List<RuleLine> anonymousRules = new ArrayList<>();
    private final List<RuleLine> patterns = new ArrayList<>();
    private final List<ClientIdRule> clientIdRules = new ArrayList<>();
    private int adminTakeoverLine;
    private boolean adminTakeover;

    private Section section = Section.GLOBAL;
    private TenantBuilder tenant;
    private UserBuilder user;

    private static final class TenantBuilder {
        final String id;
        final int line;
        final List<MemberEntry> members = new ArrayList<>();
        final List<RuleLine> rules = new ArrayList<>();
        final Map<TenantLimit, Long> limits = new java.util.EnumMap<>(TenantLimit.class);
        final Map<TenantLimit, Integer> limitLines = new java.util.EnumMap<>(TenantLimit.class);

        TenantBuilder(String id, int line) {
            this.id = id;
            this.line = line;
        }
    }

    private static final class UserBuilder {
        final String name;
        final int line;
        final List<RuleLine> rules = new ArrayList<>();

        UserBuilder(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    AclFileParser(Path file) {
        this.file = file;
    }

    AclFile parse(String content) throws InvalidFileException {
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                parseLine(i + 1, line.split("\\s+"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFileException(problems);
        }
        Map<String, TenantBlock> tenantBlocks = new LinkedHashMap<>();
        tenants.values().forEach(t -> tenantBlocks.put(t.id, new TenantBlock(t.id, t.line, t.members, t.rules,
                t.limits)));
        Map<String, UserBlock> userBlocks = new LinkedHashMap<>();
        users.values().forEach(u -> userBlocks.put(u.name, new UserBlock(u.name, u.line, u.rules)));
        return new AclFile(file, admins, tenantBlocks, userBlocks, anonymousRules, patterns, clientIdRules,
                adminTakeover);
    }

    private void parseLine(int line, String[] tokens) {
        String keyword = tokens[0];
        String[] args = withoutComment(Arrays.copyOfRange(tokens, 1, tokens.length));
        switch (keyword) {
            case "admin" -> names(line, keyword, args, false).forEach(n -> admins.putIfAbsent(n, line));
            case "tenant" -> startTenant(line, args);
            case "user" -> startUser(line, args);
            case "gateways" -> members(line, keyword, args, Role.GATEWAY);
            case "operators" -> members(line, keyword, args, Role.OPERATOR);
            case "admins" -> members(line, keyword, args, Role.TENANT_ADMIN);
            // The filter may itself be '#', so comments are only cut after it (see rule()).
            case "topic", "pattern", "foreign" -> rule(line, keyword, Arrays.copyOfRange(tokens, 1, tokens.length));
            case "clientid" -> clientId(line, args);
            case "admin-takeover" -> adminTakeover(line, args);
            case "limit" -> limit(line, args);
            default -> problem(line, "unknown keyword '" + keyword + "' (expected admin, tenant, gateways, operators,"
                    + " admins, user, topic, pattern, foreign, clientid, admin-takeover or limit)");
        }
    }

    /** Drops a trailing {@code # comment}; names never start with '#'. */
    private static String[] withoutComment(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("#")) {
                return Arrays.copyOf(args, i);
            }
        }
        return args;
    }

    private List<String> names(int line, String keyword, String[] args, boolean globsAllowed) {
        if (args.length == 0) {
            problem(line, "'" + keyword + "' needs at least one user name");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : args) {
            String why = PasswordFileWriter.userNameProblem(name);
            if (why != null) {
                problem(line, "bad user name '" + name + "': " + why);
            } else if (!globsAllowed && name.indexOf('*') >= 0) {
                problem(line, "'" + keyword + "' takes exact user names, not globs: '" + name + "'");
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private void startTenant(int line, String[] args) {
        section = Section.TENANT;
        tenant = null;
        if (args.length != 1) {
            problem(line, args.length == 0 ? "'tenant' needs a tenant id" : "'tenant' takes exactly one tenant id");
            return;
        }
        String id = args[0];
        if (!isTenantId(id)) {
            problem(line, "bad tenant id '" + id + "': use letters, digits, '_' and '-' (at most "
                    + TopicResolver.MAX_LEVEL_LENGTH + ")");
            return;
        }
        TenantBuilder previous = tenants.get(id);
        if (previous != null) {
            problem(line, "tenant '" + id + "' is already declared at line " + previous.line);
            return;
        }
        tenant = new TenantBuilder(id, line);
        tenants.put(id, tenant);
    }

    private void startUser(int line, String[] args) {
        section = Section.USER;
        user = null;
        List<String> names = names(line, "user", args, false);
        if (args.length > 1) {
            problem(line, "'user' takes exactly one user name");
            return;
        }
        if (names.size() == 1) {
            // Mosquitto merges repeated user blocks; so do we.
            user = users.computeIfAbsent(names.get(0), n -> new UserBuilder(n, line));
        }
    }

    private void members(int line, String keyword, String[] args, Role role) {
        if (section != Section.TENANT) {
            problem(line, "'" + keyword + "' must be inside a tenant block");
            return;
        }
        List<String> names = names(line, keyword, args, true);
        if (tenant != null) {
            names.forEach(n -> tenant.members.add(new MemberEntry(n, role, tenant.id, line)));
        }
    }

    private void rule(int line, String keyword, String[] args) {
        boolean pattern = keyword.equals("pattern");
        if (args.length == 0 || (args.length == 1 && Access.ofWord(args[0]) != null)) {
            problem(line, "'" + keyword + "' needs a topic filter");
            return;
        }
        Access access = Access.ofWord(args[0]);
        int at = 1;
        if (access == null) {
            if (args.length >= 2 && !args[1].startsWith("#")) {
                problem(line, "bad access '" + args[0] + "' (expected read, write, readwrite or deny)");
                return;
            }
            access = Access.READWRITE; // mosquitto's default when the access word is omitted
            at = 0;
        }
        String filter = args[at];
        if (args.length > at + 1 && !args[at + 1].startsWith("#")) {
            problem(line, "unexpected text after the topic filter: '" + args[at + 1] + "'");
            return;
        }
        String syntax = TopicFilter.syntaxProblem(filter);
        if (syntax != null) {
            problem(line, syntax);
            return;
        }
        if (!pattern && (hasLevel(filter, "%u") || hasLevel(filter, "%c"))) {
            problem(line, "%u and %c are only substituted in 'pattern' lines: '" + filter + "'");
            return;
        }
        if (keyword.equals("foreign")) {
            foreignRule(line, new RuleLine(line, access, filter, false, true));
            return;
        }
        RuleLine rule = new RuleLine(line, access, filter, pattern);
        switch (section) {
            case GLOBAL -> {
                if (pattern) {
                    if (confined(line, filter, null)) {
                        patterns.add(rule);
                    }
                } else if (anonymousAllowed(line, filter)) {
                    anonymousRules.add(rule);
                }
            }
            case TENANT -> {
                if (tenant != null && confined(line, filter, tenant.id)) {
                    tenant.rules.add(rule);
                }
            }
            case USER -> {
                if (pattern) {
                    problem(line, "'pattern' lines apply to every user: put them in a tenant block "
                            + "or before the first tenant or user block");
                } else if (user != null) {
                    user.rules.add(rule);
                }
            }
        }
    }

    /** {@code clientid <gateways|operators|admins> <pattern>}: before the first block or in a tenant block. */
    private void clientId(int line, String[] args) {
        if (section == Section.USER) {
            problem(line, "'clientid' applies to a role: put it in a tenant block or before the first tenant or "
                    + "user block");
            return;
        }
        if (args.length != 2) {
            problem(line, "'clientid' needs a role (gateways, operators or admins) and one pattern, e.g. "
                    + "'clientid gateways %u-*'");
            return;
        }
        Role role = switch (args[0]) {
            case "gateways" -> Role.GATEWAY;
            case "operators" -> Role.OPERATOR;
            case "admins" -> Role.TENANT_ADMIN;
            default -> null;
        };
        if (role == null) {
            problem(line, "bad role '" + args[0] + "' for 'clientid' (expected gateways, operators or admins)");
            return;
        }
        String pattern = args[1];
        String placeholders = pattern.replace("%u", "").replace("%t", "");
        if (placeholders.indexOf('%') >= 0) {
            problem(line, "bad client id pattern '" + pattern + "': only %u (user) and %t (tenant) are substituted");
            return;
        }
        if (section == Section.GLOBAL) {
            clientIdRules.add(new ClientIdRule(line, role, pattern, null));
        } else if (tenant != null) {
            clientIdRules.add(new ClientIdRule(line, role, pattern, tenant.id));
        }
    }

    /** {@code admin-takeover allow|deny}: once, before the first block. */
    private void adminTakeover(int line, String[] args) {
        if (section != Section.GLOBAL) {
            problem(line, "'admin-takeover' is a global setting: put it before the first tenant or user block");
            return;
        }
        if (args.length != 1 || !(args[0].equals("allow") || args[0].equals("deny"))) {
            problem(line, "'admin-takeover' takes 'allow' or 'deny'");
            return;
        }
        if (adminTakeoverLine != 0) {
            problem(line, "'admin-takeover' is already set at line " + adminTakeoverLine);
            return;
        }
        adminTakeoverLine = line;
        adminTakeover = args[0].equals("allow");
    }

    /** {@code limit <name> <value>}: a tenant block's own quota, in place of the server-wide default. */
    private void limit(int line, String[] args) {
        if (section != Section.TENANT) {
            problem(line, "'limit' sets a quota of one tenant: put it inside a tenant block (server-wide defaults "
                    + "are settings in cellwatch.properties)");
            return;
        }
        if (args.length != 2) {
            problem(line, "'limit' needs a name and a value, e.g. 'limit series 2000000' (names: "
                    + TenantLimit.words() + ")");
            return;
        }
        TenantLimit limit = TenantLimit.ofWord(args[0]);
        if (limit == null) {
            problem(line, "unknown limit '" + args[0] + "' (expected " + TenantLimit.words() + ")");
            return;
        }
        long value;
        try {
            value = args[1].chars().allMatch(Character::isDigit) ? Long.parseLong(args[1]) : -1;
        } catch (NumberFormatException tooLong) {
            value = Long.MAX_VALUE;
        }
        if (value < 1 || value > limit.max()) {
            problem(line, "limit " + limit.word() + " '" + args[1] + "' is not a whole number in 1.." + limit.max());
            return;
        }
        if (tenant == null) {
            return;
        }
        Integer first = tenant.limitLines.putIfAbsent(limit, line);
        if (first != null) {
            problem(line, "limit " + limit.word() + " of tenant '" + tenant.id + "' is already set at line " + first);
            return;
        }
        tenant.limits.put(limit, value);
    }

    /** A tenant rule must stay under tenants/<id>/ (or tenants/%t/); a global pattern under tenants/%t/. */
    private boolean confined(int line, String filter, String tenantId) {
        String[] levels = filter.split("/", -1);
        boolean ok = levels.length >= 3 && levels[0].equals(TopicResolver.ROOT)
                && (levels[1].equals("%t") || levels[1].equals(tenantId));
        if (!ok) {
            String where = tenantId == null ? "tenants/%t/" : "tenants/" + tenantId + "/ or tenants/%t/";
            String who = tenantId == null ? "a pattern outside tenant blocks" : "a rule of tenant '" + tenantId + "'";
            problem(line, "topic '" + filter + "' is outside the tenant: " + who + " must start with " + where);
            return false;
        }
        if (Arrays.stream(levels).anyMatch(String::isEmpty)) {
            problem(line, "topic '" + filter + "' has an empty level");
            return false;
        }
        return true;
    }

    /** {@code foreign <access> <filter>}: in a tenant or user block, a filter outside tenants/ and $ topics. */
    private void foreignRule(int line, RuleLine rule) {
        if (section == Section.GLOBAL) {
            problem(line, "'foreign' grants tenant members topics outside tenants/: put it in a tenant or user block "
                    + "(rules before the first block are the anonymous clients' and use 'topic')");
            return;
        }
        String[] levels = rule.filter().split("/", -1);
        String first = levels[0];
        if (first.equals(TopicResolver.ROOT) || first.equals("+") || first.equals("#") || first.startsWith("$")
                || first.equals("%t")) {
            problem(line, "foreign topic '" + rule.filter() + "' may not name tenants/, $ topics or start with a "
                    + "wildcard (use 'topic' for the tenant's own tree)");
            return;
        }
        if (Arrays.stream(levels).anyMatch(String::isEmpty)) {
            problem(line, "topic '" + rule.filter() + "' has an empty level");
            return;
        }
        if (section == Section.TENANT && tenant != null) {
            tenant.rules.add(rule);
        } else if (section == Section.USER && user != null) {
            user.rules.add(rule);
        }
    }

    /** Anonymous clients belong to no tenant: their rules may not reach tenants/, $ topics, or start with a wildcard. */
    private boolean anonymousAllowed(int line, String filter) {
        String first = filter.split("/", -1)[0];
        if (first.equals(TopicResolver.ROOT) || first.equals("+") || first.equals("#") || first.startsWith("$")
                || first.equals("%t")) {
            problem(line, "topic '" + filter + "' is not allowed for anonymous clients (rules before the first "
                    + "tenant or user block): they may not name tenants/, $ topics or start with a wildcard");
            return false;
        }
        return true;
    }

    private static boolean hasLevel(String filter, String level) {
        return Arrays.asList(filter.split("/", -1)).contains(level);
    }

    static boolean isTenantId(String id) {
        // A tenant id is a topic level: no longer than the contract lets a level be.
        if (id.isEmpty() || id.length() > TopicResolver.MAX_LEVEL_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void problem(int line, String message) {
        problems.add(new FileProblem(file, line, message));
    }
}
