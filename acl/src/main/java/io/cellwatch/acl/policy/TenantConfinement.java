package io.cellwatch.acl.policy;

import io.cellwatch.contract.TopicResolver;

/**
 * The hard walls every request passes before any rule is looked at, so a mistake in the ACL file can never leak
 * one tenant's topics to another: a tenant principal only touches {@code tenants/<its tenant>} (exact string
 * equality, no wildcard in the first two levels, no empty level, nothing starting with {@code $}) and, only if it
 * has {@code foreign} rules, the topics an anonymous client could reach (outside tenants/ and $); anonymous
 * clients never touch {@code tenants/} or {@code $} topics. Stateless and thread-safe; allocation-free for topics.
 */
final class TenantConfinement {

    private static final String SHARE = "$share/";

    private TenantConfinement() {
    }

    /** A publish topic of tenant principal whose tenant root is {@code exact} ("tenants/acme"), prefix "tenants/acme/". */
    static boolean tenantTopic(String exact, String prefix, String topic) {
        return (topic.startsWith(prefix) || topic.equals(exact)) && isPlainTopic(topic, true);
    }

    /** A subscription filter (after {@link #stripShare}) of a tenant principal. */
    static boolean tenantFilter(String exact, String prefix, String filter) {
        return (filter.startsWith(prefix) || filter.equals(exact)) && isValidFilter(filter, true);
    }

    /** An anonymous publish: never under tenants/, never a $ topic. */
    static boolean anonymousTopic(String topic) {
        return isPlainTopic(topic, true) && !topic.startsWith("$") && !firstLevelIs(topic, TopicResolver.ROOT);
    }

    /** An anonymous subscription: as for publish, and no wildcard first level (it would reach tenants/). */
    static boolean anonymousFilter(String filter) {
        return isValidFilter(filter, true) && !filter.startsWith("$") && !firstLevelIs(filter, TopicResolver.ROOT)
                && !firstLevelIs(filter, "+") && !firstLevelIs(filter, "#");
    }

    /** The global admin may publish to any MQTT-valid topic. */
    static boolean anyTopic(String topic) {
        return isPlainTopic(topic, false);
    }

    /** The global admin may subscribe to any MQTT-valid filter. */
    static boolean anyFilter(String filter) {
        return isValidFilter(filter, false);
    }

    /**
     * The filter inside {@code $share/<group>/<filter>}, the filter itself when not shared, or null when a shared
     * subscription lacks its group or filter (deny).
     */
    static String stripShare(String filter) {
        if (!filter.startsWith(SHARE)) {
            return filter;
        }
        int slash = filter.indexOf('/', SHARE.length());
        if (slash <= SHARE.length() || slash == filter.length() - 1) {
            return null;
        }
        for (int i = SHARE.length(); i < slash; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                return null;
            }
        }
        return filter.substring(slash + 1);
    }

    private static boolean firstLevelIs(String s, String level) {
        return s.startsWith(level) && (s.length() == level.length() || s.charAt(level.length()) == '/');
    }

    private static boolean isPlainTopic(String topic, boolean rejectEmptyLevels) {
        int n = topic.length();
        if (n == 0) {
            return false;
        }
        char previous = '/';
        for (int i = 0; i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\0' || (rejectEmptyLevels && c == '/' && previous == '/')) {
                return false;
            }
            previous = c;
        }
        return !rejectEmptyLevels || previous != '/';
    }

    private static boolean isValidFilter(String filter, boolean rejectEmptyLevels) {
        int n = filter.length();
        if (n == 0) {
            return false;
        }
        int start = 0;
        while (start <= n) {
            int end = filter.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            int len = end - start;
            if (len == 0 && rejectEmptyLevels) {
                return false;
            }
            for (int i = start; i < end; i++) {
                char c = filter.charAt(i);
                if (c == '\0') {
                    return false;
                }
                if ((c == '+' || c == '#') && len != 1) {
                    return false;
                }
                if (c == '#' && end != n) {
                    return false;
                }
            }
            start = end + 1;
        }
        return true;
    }
}
