package io.cellwatch.acl.policy;

import io.cellwatch.acl.rules.ClientIdRule;
import io.cellwatch.acl.rules.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one principal may do, precomputed at load so a publish check is a confinement scan plus a few
 * allocation-free filter matches. Equal when principal and rules are equal (how a reload finds changed users).
 * Immutable and thread-safe.
 */
final class UserRules {

    private static final TopicFilter[] NONE = new TopicFilter[0];

    private final Principal principal;
    private final List<CompiledRule> rules;
    private final String tenantExact;
    private final String tenantPrefix;
    private final TopicFilter[] denies;
    private final TopicFilter[] writeGrants;
    private final TopicFilter[] readGrants;
    private final boolean usesClientId;
    /** A tenant member with {@code foreign} rules may also reach topics outside tenants/ (never $ or tenants/). */
    private final boolean foreign;
    private final List<String> clientIdGlobs;

    UserRules(Principal principal, List<CompiledRule> rules, List<String> clientIdGlobs) {
        this.principal = principal;
        this.rules = List.copyOf(rules);
        this.clientIdGlobs = List.copyOf(clientIdGlobs);
        this.tenantExact = principal.tenant().map(t -> "tenants/" + t).orElse(null);
        this.tenantPrefix = tenantExact == null ? null : tenantExact + "/";
        List<TopicFilter> deny = new ArrayList<>();
        List<TopicFilter> write = new ArrayList<>();
        List<TopicFilter> read = new ArrayList<>();
        for (CompiledRule rule : rules) {
            switch (rule.access()) {
                case DENY -> deny.add(rule.filter());
                case WRITE -> write.add(rule.filter());
                case READ -> read.add(rule.filter());
                case READWRITE -> {
                    write.add(rule.filter());
                    read.add(rule.filter());
                }
            }
        }
        this.denies = deny.toArray(NONE);
        this.writeGrants = write.toArray(NONE);
        this.readGrants = read.toArray(NONE);
        this.usesClientId = rules.stream().anyMatch(r -> r.filter().usesClientId());
        this.foreign = principal.tenant().isPresent()
                && rules.stream().anyMatch(r -> !r.filter().toString().startsWith("tenants/"));
    }

    Principal principal() {
        return principal;
    }

    /** True if one of this principal's client id globs matches (a global user has none: no constraint here). */
    boolean mayUseClientId(String clientId) {
        if (clientIdGlobs.isEmpty()) {
            return true;
        }
        for (String glob : clientIdGlobs) {
            if (ClientIdRule.matches(glob, clientId)) {
                return true;
            }
        }
        return false;
    }

    boolean mayPublish(String clientId, String topic) {
        if (!confinedTopic(topic)) {
            return false;
        }
        String cid = usableClientId(clientId);
        for (TopicFilter deny : denies) {
            if (deny.matches(topic, cid)) {
                return false;
            }
        }
        if (principal.role() == Role.ADMIN) {
            return true;
        }
        for (TopicFilter grant : writeGrants) {
            if ((cid != null || !grant.usesClientId()) && grant.matches(topic, cid)) {
                return true;
            }
        }
        return false;
    }

    boolean maySubscribe(String clientId, String topicFilter) {
        String filter = TenantConfinement.stripShare(topicFilter);
        if (filter == null || !confinedFilter(filter)) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        String cid = usableClientId(clientId);
        // No per-message read check exists downstream, so a subscription that could deliver a denied topic is refused.
        for (TopicFilter deny : denies) {
            if (deny.intersects(levels, cid)) {
                return false;
            }
        }
        if (principal.role() == Role.ADMIN) {
            return true;
        }
        for (TopicFilter grant : readGrants) {
            if ((cid != null || !grant.usesClientId()) && grant.covers(levels, cid)) {
                return true;
            }
        }
        return false;
    }

    private boolean confinedTopic(String topic) {
        return switch (principal.role()) {
            case ADMIN -> TenantConfinement.anyTopic(topic);
            case ANONYMOUS -> TenantConfinement.anonymousTopic(topic);
            default -> tenantExact != null && (TenantConfinement.tenantTopic(tenantExact, tenantPrefix, topic)
                    || foreign && TenantConfinement.anonymousTopic(topic));
        };
    }

    private boolean confinedFilter(String filter) {
        return switch (principal.role()) {
            case ADMIN -> TenantConfinement.anyFilter(filter);
            case ANONYMOUS -> TenantConfinement.anonymousFilter(filter);
            default -> tenantExact != null && (TenantConfinement.tenantFilter(tenantExact, tenantPrefix, filter)
                    || foreign && TenantConfinement.anonymousFilter(filter));
        };
    }

    /** Null when %c cannot be substituted: grants using it then do not apply and denies using it match any level. */
    private String usableClientId(String clientId) {
        return !usesClientId || TopicFilter.isSafeLevel(clientId) ? clientId : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserRules other && other.principal.equals(principal) && other.rules.equals(rules)
                && other.clientIdGlobs.equals(clientIdGlobs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(principal, rules, clientIdGlobs);
    }

    @Override
    public String toString() {
        return principal + " " + rules;
    }
}
