package io.cellwatch.contract;

/**
 * Builds topics by the topic contract: {@code tenants/{tenant}} then (level, id) pairs, ending at a node, in a
 * metric leaf or in a reserved name ({@code status}, {@code meta}). The only place a topic string is built.
 * <p>
 * Every level is checked as {@link TopicResolver} checks it, so a built topic is never refused for its form; a bad
 * level is a programming or configuration error and throws {@link IllegalArgumentException} with the resolver's
 * message. Immutable and thread-safe.
 */
public final class TopicBuilder {

    private final String path;
    private final int levelsAfterTenant;

    private TopicBuilder(final String path, final int levelsAfterTenant) {
        this.path = path;
        this.levelsAfterTenant = levelsAfterTenant;
    }

    /** The node of {@code tenant}: {@code tenants/{tenant}}. */
    public static TopicBuilder tenant(final String tenant) {
        check(tenant, 2);
        return new TopicBuilder(TopicResolver.ROOT + "/" + tenant, 0);
    }

    /**
     * The broker's retained state of a gateway of {@code tenant}: {@code tenants/{tenant}/gateways/{clientId}/status}
     * (a gateway's own will goes under its plant, {@code …/plants/{p}/gateways/{clientId}/status}).
     */
    public static String gatewayStatus(final String tenant, final String clientId) {
        return tenant(tenant).child("gateways", clientId).reserved("status");
    }

    /**
     * The broker's retained state of one alert of {@code tenant}: {@code tenants/{tenant}/alerts/{alertId}}. Only the
     * broker writes under {@code tenants/{tenant}/alerts/} ({@link TopicResolver#isBrokerOwned}).
     */
    public static String alert(final String tenant, final String alertId) {
        final TopicBuilder root = tenant(tenant);
        check(alertId, 4);
        return root.reserved("alerts") + "/" + alertId;
    }

    /**
     * The topic cellwatch's synthetic probe publishes to, {@code tenants/~cellwatch/probes/e2e/sample}: a metric leaf
     * of the internal tenant ({@link TopicResolver#INTERNAL_TENANT}), which no client may write and no user sees.
     */
    public static String probe() {
        return tenant(TopicResolver.INTERNAL_TENANT).child("probes", "e2e").metric("sample");
    }

    /** The child node {@code {this}/{level}/{id}}, e.g. {@code child("racks", "r1")}. */
    public TopicBuilder child(final String level, final String id) {
        checkName(level, "level name", levelsAfterTenant + 3);
        check(id, levelsAfterTenant + 4);
        return new TopicBuilder(path + "/" + level + "/" + id, levelsAfterTenant + 2);
    }

    /** The topic of this node, which takes a node payload ({@link PayloadWriter#node}). */
    public String node() {
        return path;
    }

    /** The topic of metric leaf {@code metric} under this node, which takes a metric payload. */
    public String metric(final String metric) {
        checkName(metric, "metric name", levelsAfterTenant + 3);
        return path + "/" + metric;
    }

    /** The topic of the reserved, non-telemetry leaf {@code name} ({@code status}, {@code meta}, …) under this node. */
    public String reserved(final String name) {
        if (!TopicResolver.RESERVED_NAMES.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a reserved name " + TopicResolver.RESERVED_NAMES);
        }
        return path + "/" + name;
    }

    /**
     * Where gateway {@code clientId} reports its health under this node (its plant):
     * {@code {this}/gateways/{clientId}/status/health}, retained JSON ({@link PayloadWriter#gatewayHealth}). Under the
     * reserved {@code status}, so a server that does not read it passes it through as plain MQTT
     * ({@link TopicResolver#gatewayHealthClientId} classifies it).
     */
    public String gatewayHealth(final String clientId) {
        return child("gateways", clientId).reserved("status") + "/" + TopicResolver.HEALTH;
    }

    /** Levels after {@code tenants/{tenant}}, always even. */
    public int levelsAfterTenant() {
        return levelsAfterTenant;
    }

    @Override
    public String toString() {
        return path;
    }

    private static void checkName(final String name, final String what, final int position) {
        check(name, position);
        if (TopicResolver.RESERVED_NAMES.contains(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' is reserved");
        }
    }

    private static void check(final String level, final int position) {
        if (level == null) {
            throw new IllegalArgumentException("topic level " + position + " is missing");
        }
        try {
            TopicResolver.checkLevel(level, position);
        } catch (final Rejection e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
