package io.cellwatch.mapping;

import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.rules.Role;
import io.cellwatch.contract.TopicFilter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule that keeps tenants apart outside {@code tenants/}: a foreign topic that the mapping rules in force
 * assign to tenant X — by a {@code map} rule (the first that matches the topic, as for mapping) or as any topic
 * under {@code spBv1.0/<group>} of a group mapped to X — belongs to X. Nobody but X's members and global admins may
 * publish to it, leave a will or a retained message on it, clear its retained message, or subscribe to a filter that
 * can match it, whatever the ACL's {@code foreign} grants say. A rule whose tenant comes from the payload
 * ({@code tenant {site}}) makes its topics <em>shared</em>: each publish is decided by the tenant its payload maps
 * to (the mapped-node check), but no member of any tenant may retain on them, clear them or subscribe to them,
 * since no single tenant owns what is there. The ACL decides everything else. Built once per loaded rules file
 * (filters precompiled); the publish-path checks allocate nothing but, for a Sparkplug topic, its group id.
 * Immutable and thread-safe.
 */
public final class ForeignOwnership {

    private static final String SPARKPLUG_PREFIX = SparkplugTopics.NAMESPACE + "/";
    private static final String SHARE = "$share/";
    /** Owner tenant of a rule whose tenant a payload decides. */
    private static final String SHARED = null;

    private final TopicFilter[] ruleFilters;
    /** Per rule: the literal tenant, or {@code null} when a topic level or the payload decides. */
    private final String[] ruleTenants;
    /** Per rule: the 0-based topic level holding the tenant, or -1. */
    private final int[] tenantLevels;
    private final Map<String, String> groupTenants;
    private final TopicFilter[] groupFilters;
    private final String[] groupFilterTenants;

    ForeignOwnership(final List<TopicRule> rules, final List<SparkplugGroup> groups) {
        ruleFilters = new TopicFilter[rules.size()];
        ruleTenants = new String[rules.size()];
        tenantLevels = new int[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            final TopicRule rule = rules.get(i);
            final String[] levels = rule.filter().toString().split("/", -1);
            ruleFilters[i] = rule.filter();
            ruleTenants[i] = rule.tenant().literal();
            tenantLevels[i] = tenantLevel(rule.tenant(), levels);
        }
        groupTenants = new HashMap<>();
        groupFilters = new TopicFilter[groups.size()];
        groupFilterTenants = new String[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            final SparkplugGroup group = groups.get(i);
            groupTenants.put(group.group(), group.tenant());
            groupFilters[i] = TopicFilter.of(SparkplugTopics.NAMESPACE, group.group(), "#");
            groupFilterTenants[i] = group.tenant();
        }
    }

    /**
     * Whether {@code principal} may publish to {@code topic} (or leave it as its will) as far as ownership goes;
     * {@code retain}: the publish is retained or clears a retained message. Allocation-free but for a Sparkplug
     * group id.
     */
    public boolean mayPublish(final Principal principal, final String topic, final boolean retain) {
        if (principal.role() == Role.ADMIN || topic.startsWith("tenants/")) {
            return true;
        }
        final String tenant = principal.tenant().orElse(null);
        if (topic.startsWith(SPARKPLUG_PREFIX)) {
            final int end = topic.indexOf('/', SPARKPLUG_PREFIX.length());
            final String owner = groupTenants.get(topic.substring(SPARKPLUG_PREFIX.length(),
                    end < 0 ? topic.length() : end));
            return owner == null || owner.equals(tenant);
        }
        for (int i = 0; i < ruleFilters.length; i++) {
            if (ruleFilters[i].matches(topic, null)) {
                if (ruleTenants[i] != null) {
                    return ruleTenants[i].equals(tenant);
                }
                if (tenantLevels[i] >= 0) {
                    return tenant != null && levelEquals(topic, tenantLevels[i], tenant);
                }
                // Shared: the mapped-node check decides each publish by its payload; nobody's to retain or clear.
                return !retain;
            }
        }
        return true;
    }

    /**
     * Whether {@code principal} may subscribe to {@code filter} ({@code $share/<group>/} looked through): refused if
     * the filter intersects a topic another tenant owns, or a shared one. Conservative: every rule whose filter
     * intersects counts, even where an earlier rule would take the topic.
     */
    public boolean maySubscribe(final Principal principal, final String filter) {
        if (principal.role() == Role.ADMIN) {
            return true;
        }
        final String tenant = principal.tenant().orElse(null);
        final String[] levels = unshared(filter).split("/", -1);
        for (int i = 0; i < groupFilters.length; i++) {
            if (!groupFilterTenants[i].equals(tenant) && groupFilters[i].intersects(levels, null)) {
                return false;
            }
        }
        for (int i = 0; i < ruleFilters.length; i++) {
            if (!ruleFilters[i].intersects(levels, null)) {
                continue;
            }
            final String owner = ruleTenants[i] != null ? ruleTenants[i] : ownerLevel(levels, tenantLevels[i]);
            if (owner == SHARED || !owner.equals(tenant)) {
                return false;
            }
        }
        return true;
    }

    /** The tenant a filter's level fixes, or {@link #SHARED} when a wildcard or the payload leaves it open. */
    private static String ownerLevel(final String[] levels, final int level) {
        if (level < 0 || level >= levels.length || levels[level].equals("+") || levels[level].equals("#")) {
            return SHARED;
        }
        return levels[level];
    }

    /**
     * The topic level of a tenant taken from the topic ({@code {+N}} or topic level N first), or -1 (literal or from
     * the payload).
     */
    private static int tenantLevel(final IdTemplate tenant, final String[] filterLevels) {
        if (tenant.literal() != null || tenant.alternatives().get(0).field() != null) {
            return -1;
        }
        if (tenant.alternatives().get(0).topicLevel() > 0) {
            return tenant.alternatives().get(0).topicLevel() - 1;
        }
        final int wildcard = tenant.alternatives().get(0).wildcard();
        int seen = 0;
        for (int i = 0; i < filterLevels.length; i++) {
            if (filterLevels[i].equals("+") && ++seen == wildcard) {
                return i;
            }
        }
        return -1;
    }

    private static boolean levelEquals(final String topic, final int level, final String value) {
        final int start = TopicLevel.start(topic, level);
        return start >= 0 && TopicLevel.end(topic, start) - start == value.length()
                && topic.regionMatches(start, value, 0, value.length());
    }

    private static String unshared(final String filter) {
        if (!filter.startsWith(SHARE)) {
            return filter;
        }
        final int slash = filter.indexOf('/', SHARE.length());
        return slash < 0 ? filter : filter.substring(slash + 1);
    }
}
