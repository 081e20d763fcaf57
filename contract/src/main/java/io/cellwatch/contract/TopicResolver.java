package io.cellwatch.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Classifies and validates topics by the topic contract: {@code tenants/{tenant}} then (level, id) pairs, ending
 * either at a node (even number of levels) or in a metric leaf (odd).
 * <p>
 * Levels are 1 to {@value #MAX_LEVEL_LENGTH} characters of {@code [A-Za-z0-9_.:@~-]}: ASCII only, so no two
 * tenants or devices can differ by a lookalike character. Thread-safe and stateless but for its limits.
 */
public final class TopicResolver {

    /** First level of every telemetry topic. */
    public static final String ROOT = "tenants";
    /** Longest level accepted. */
    public static final int MAX_LEVEL_LENGTH = 64;
    /**
     * Level and metric names reserved for non-telemetry topics (gateway status, plant metadata, alerts, commands);
     * a topic that uses one in a level or metric position is passed through untouched.
     */
    public static final Set<String> RESERVED_NAMES = Set.of("status", "meta", "alerts", "commands");
    /**
     * The tenant of cellwatch's own synthetic probe ({@link TopicBuilder#probe}). No ACL, mapping or alert rules file
     * accepts {@code ~} in a tenant id, so no real tenant can have it; no client may publish under it
     * ({@link #isBrokerOwned}) and no user sees it (docs/decisions.md).
     */
    public static final String INTERNAL_TENANT = "~cellwatch";

    /** The last level of a gateway's health report, under its reserved {@code status}. */
    public static final String HEALTH = "health";

    private static final String INTERNAL_ROOT = ROOT + "/" + INTERNAL_TENANT;

    private final int maxLevelsAfterTenant;

    /** @param maxLevelsAfterTenant most levels accepted after {@code tenants/{tenant}} */
    public TopicResolver(final int maxLevelsAfterTenant) {
        this.maxLevelsAfterTenant = maxLevelsAfterTenant;
    }

    /**
     * Validates {@code topic}. Topics outside {@code tenants/} and topics using a reserved name come back as
     * {@link TopicKind#NOT_TELEMETRY}; malformed telemetry topics are refused.
     */
    public TopicPath resolve(final String topic) throws Rejection {
        if (topic.startsWith("/" + ROOT + "/")) {
            // Meant as telemetry: refuse loudly rather than pass it through and lose every sample silently.
            throw new Rejection(RejectReason.EMPTY_LEVEL, "topic level 1 is empty (leading '/')");
        }
        if (!topic.startsWith(ROOT + "/")) {
            return new TopicPath(topic, List.of(topic), TopicKind.NOT_TELEMETRY);
        }
        final List<String> levels = split(topic);
        if (levels.size() - 2 > maxLevelsAfterTenant) {
            throw new Rejection(RejectReason.BAD_TOPIC, "topic has " + (levels.size() - 2)
                    + " levels after the tenant; at most " + maxLevelsAfterTenant + " are allowed");
        }
        for (int i = 0; i < levels.size(); i++) {
            checkLevel(levels.get(i), i + 1);
        }
        // Even positions after the tenant hold level names or the metric: where reserved names live.
        for (int i = 2; i < levels.size(); i += 2) {
            if (RESERVED_NAMES.contains(levels.get(i))) {
                return new TopicPath(topic, levels, TopicKind.NOT_TELEMETRY);
            }
        }
        return new TopicPath(topic, levels, levels.size() % 2 == 1 ? TopicKind.METRIC : TopicKind.NODE);
    }

    /**
     * Whether {@code topic} is the {@code meta} of a tenant's node ({@code tenants/{t}/meta}, {@code tenants/{t}/…/meta},
     * e.g. a plant's name and location, kept as a retained message).
     */
    public static boolean isMeta(final String topic) {
        if (!topic.startsWith(ROOT + "/") || !topic.endsWith("/meta")) {
            return false;
        }
        final String[] levels = topic.split("/", -1);
        return levels.length >= 3 && !levels[1].isEmpty();
    }

    /**
     * Whether {@code topic} is the broker's own state of a gateway, {@code tenants/{t}/gateways/{id}/status}
     * ({@link TopicBuilder#gatewayStatus}), which no client may publish to.
     */
    public static boolean isBrokerGatewayStatus(final String topic) {
        if (!topic.startsWith(ROOT + "/") || !topic.endsWith("/status")) {
            return false;
        }
        final String[] levels = topic.split("/", -1);
        return levels.length == 5 && levels[2].equals("gateways");
    }

    /**
     * The client id whose health report {@code topic} is,
     * {@code tenants/{t}/{level}/{id}/…/gateways/{clientId}/status/health} ({@link TopicBuilder#gatewayHealth}), or
     * {@code null} for any other topic. Allocates only for a health report's topic.
     */
    public static String gatewayHealthClientId(final String topic) {
        final String tail = "/" + "status" + "/" + HEALTH;
        if (!topic.startsWith(ROOT + "/") || !topic.endsWith(tail)) {
            return null;
        }
        final int idEnd = topic.length() - tail.length();
        final int idStart = topic.lastIndexOf('/', idEnd - 1) + 1;
        final String gateways = "/gateways/";
        if (idStart >= idEnd || idStart < gateways.length()
                || !topic.regionMatches(idStart - gateways.length(), gateways, 0, gateways.length())) {
            return null;
        }
        // At least tenants/{t}/{level}/{id} before gateways/: a plant's (or another node's) gateway, never the
        // broker's own tenants/{t}/gateways/{id}/status.
        final String[] levels = topic.substring(0, idStart - gateways.length()).split("/", -1);
        return levels.length >= 4 && levels.length % 2 == 0 ? topic.substring(idStart, idEnd) : null;
    }

    /**
     * Whether only the broker may publish to {@code topic}: a gateway's state ({@link #isBrokerGatewayStatus}),
     * anything under {@code tenants/{t}/alerts/} ({@link TopicBuilder#alert}) or the internal tenant
     * ({@link #isInternal}). A client publish or will there would fake the broker's word.
     */
    public static boolean isBrokerOwned(final String topic) {
        if (isBrokerGatewayStatus(topic) || isInternal(topic)) {
            return true;
        }
        if (!topic.startsWith(ROOT + "/")) {
            return false;
        }
        final int tenantEnd = topic.indexOf('/', ROOT.length() + 1);
        return tenantEnd > 0 && topic.startsWith("alerts", tenantEnd + 1)
                && (topic.length() == tenantEnd + 7 || topic.charAt(tenantEnd + 7) == '/');
    }

    /**
     * The tenant level of {@code path} (a topic, node path or series key under {@code tenants/}), or {@code null} for
     * a path outside {@code tenants/} or without a tenant level. Allocates the tenant string only.
     */
    public static String tenantOf(final String path) {
        if (!path.startsWith(ROOT + "/")) {
            return null;
        }
        final int start = ROOT.length() + 1;
        final int end = path.indexOf('/', start);
        final String tenant = end < 0 ? path.substring(start) : path.substring(start, end);
        return tenant.isEmpty() ? null : tenant;
    }

    /**
     * Whether {@code path} (a topic, topic filter, node path or series key) lies in the internal tenant
     * {@value #INTERNAL_TENANT}, which only cellwatch's own probe writes and nobody reads.
     */
    public static boolean isInternal(final String path) {
        return path.startsWith(INTERNAL_ROOT)
                && (path.length() == INTERNAL_ROOT.length() || path.charAt(INTERNAL_ROOT.length()) == '/');
    }

    /** Whether validated {@code levels} ({@code tenants}, tenant, …) lie in the internal tenant. */
    public static boolean isInternal(final List<String> levels) {
        return levels.size() >= 2 && levels.get(0).equals(ROOT) && levels.get(1).equals(INTERNAL_TENANT);
    }

    /** Validates a metric name taken from a node payload, which becomes the last level of a series. */
    public static void checkMetricName(final String name) throws Rejection {
        checkLevel(name, 0);
        if (RESERVED_NAMES.contains(name)) {
            throw new Rejection(RejectReason.BAD_TOPIC, "metric name '" + name + "' is reserved");
        }
    }

    /**
     * Validates a subtree path as used by the API ({@code tenants/t1/plants/p1} or a series key); the empty path
     * means everything.
     */
    public static List<String> parseSubtree(final String path) throws Rejection {
        if (path.isEmpty()) {
            return List.of();
        }
        final List<String> levels = split(path);
        if (!levels.get(0).equals(ROOT)) {
            throw new Rejection(RejectReason.BAD_TOPIC, "path must start with '" + ROOT + "/'");
        }
        for (int i = 0; i < levels.size(); i++) {
            checkLevel(levels.get(i), i + 1);
        }
        return levels;
    }

    private static List<String> split(final String topic) throws Rejection {
        final List<String> levels = new ArrayList<>(12);
        int start = 0;
        while (true) {
            final int slash = topic.indexOf('/', start);
            final int end = slash < 0 ? topic.length() : slash;
            if (end == start) {
                throw new Rejection(RejectReason.EMPTY_LEVEL, "topic level " + (levels.size() + 1) + " is empty");
            }
            levels.add(topic.substring(start, end));
            if (slash < 0) {
                return levels;
            }
            start = slash + 1;
        }
    }

    static void checkLevel(final String level, final int position) throws Rejection {
        final String where = position > 0 ? "topic level " + position : "metric name";
        if (level.isEmpty()) {
            throw new Rejection(RejectReason.EMPTY_LEVEL, where + " is empty");
        }
        if (level.length() > MAX_LEVEL_LENGTH) {
            throw new Rejection(RejectReason.BAD_TOPIC,
                    where + " is " + level.length() + " characters; at most " + MAX_LEVEL_LENGTH + " are allowed");
        }
        for (int i = 0; i < level.length(); i++) {
            if (!allowed(level.charAt(i))) {
                throw new Rejection(RejectReason.BAD_TOPIC, where + " '" + printable(level)
                        + "' has a character outside [A-Za-z0-9_.:@~-] at index " + i);
            }
        }
    }

    private static boolean allowed(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.' || c == ':' || c == '@' || c == '~';
    }

    private static String printable(final String level) {
        final StringBuilder out = new StringBuilder(level.length());
        level.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u%04x", cp));
            }
        });
        return out.toString();
    }
}
