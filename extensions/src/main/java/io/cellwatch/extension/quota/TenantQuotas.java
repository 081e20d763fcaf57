package io.cellwatch.extension.quota;

import io.cellwatch.acl.rules.TenantLimit;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.series.Series;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Every tenant's quota, by tenant id: the server-wide defaults with the ACL file's {@code limit} lines applied
 * ({@link #apply}, at start and on every reload). A tenant's {@link TenantQuota} is made on first use and kept, so the
 * publish path can hold on to it; clients without tenant share the one of {@code ""}. Thread-safe.
 */
public final class TenantQuotas {

    private final TenantLimits defaults;
    private final Clock clock;
    private final QuotaMetrics metrics;
    private final ConcurrentHashMap<String, TenantQuota> tenants = new ConcurrentHashMap<>();
    private final RetainedLedger retained = new RetainedLedger();
    private volatile Map<String, Map<TenantLimit, Long>> overrides = Map.of();
    private volatile Set<String> declared = Set.of();
    // The smallest metrics-per-payload limit of any tenant: a payload within it needs no tenant lookup.
    private volatile long smallestMetricsLimit;

    public TenantQuotas(final TenantLimits defaults, final Clock clock, final QuotaMetrics metrics) {
        this.defaults = defaults;
        this.clock = clock;
        this.metrics = metrics;
        this.smallestMetricsLimit = defaults.metricsPerPayload();
    }

    /** No limits, nothing counted (tools, tests and benchmarks that build the publish path without settings). */
    public static TenantQuotas unlimited() {
        return new TenantQuotas(TenantLimits.NONE, Clock.systemUTC(), QuotaMetrics.NONE);
    }

    /** The quota of {@code tenant}; {@code null} or {@code ""} is the one of clients without tenant. */
    public TenantQuota of(final String tenant) {
        final String key = tenant == null ? "" : tenant;
        final TenantQuota known = tenants.get(key);
        return known != null ? known : tenants.computeIfAbsent(key, t ->
                new TenantQuota(t, limitsOf(t, overrides), labelOf(t, declared), clock, metrics));
    }

    /**
     * Applies the {@code limit} lines of the ACL file in force ({@code overrides}, by tenant) and the tenants it
     * declares (the only tenant ids used as metric labels).
     */
    public void apply(final Map<String, Map<TenantLimit, Long>> applied, final Set<String> declaredTenants) {
        overrides = Map.copyOf(applied);
        declared = Set.copyOf(declaredTenants);
        long smallest = defaults.metricsPerPayload();
        for (final Map<TenantLimit, Long> limits : applied.values()) {
            smallest = Math.min(smallest, limits.getOrDefault(TenantLimit.METRICS_PER_PAYLOAD, smallest));
        }
        smallestMetricsLimit = smallest;
        tenants.forEach((tenant, quota) -> {
            quota.limits(limitsOf(tenant, overrides));
            quota.label(labelOf(tenant, declared));
        });
    }

    /** True if a node payload of {@code metrics} metrics is within every tenant's limit (no lookup needed). */
    public boolean withinEveryMetricsLimit(final int metrics) {
        return metrics <= smallestMetricsLimit;
    }

    /** Counts a series just created; called inside its creation (the catalog's creation callback). */
    public void seriesCreated(final Series series) {
        final String tenant = TopicResolver.tenantOf(series.key());
        if (tenant != null && !TopicResolver.isInternal(series.key())) {
            of(tenant).seriesCreated();
        }
    }

    /** Counts the series recovered from storage at start, before the broker takes publishes. */
    public void seriesRecovered(final Collection<Series> recovered) {
        recovered.forEach(this::seriesCreated);
    }

    /** The retained messages counted per tenant. */
    public RetainedLedger retained() {
        return retained;
    }

    /** The holder of a retained message on {@code topic} published by a client of {@code publisher}. */
    public TenantQuota retainedHolder(final String topic, final TenantQuota publisher) {
        final String tenant = TopicResolver.tenantOf(topic);
        return tenant == null ? publisher : of(tenant);
    }

    /** {@code value} of every declared tenant that has a quota object, for gauges labelled by tenant. */
    public Map<String, Long> byDeclaredTenant(final ToLongFunction<TenantQuota> value) {
        final Map<String, Long> values = new TreeMap<>();
        for (final String tenant : declared) {
            final TenantQuota quota = tenants.get(tenant);
            values.put(tenant, quota == null ? 0L : value.applyAsLong(quota));
        }
        return values;
    }

    private TenantLimits limitsOf(final String tenant, final Map<String, Map<TenantLimit, Long>> applied) {
        return defaults.with(applied.getOrDefault(tenant, Map.of()));
    }

    private static String labelOf(final String tenant, final Set<String> declaredTenants) {
        if (tenant.isEmpty()) {
            return "none";
        }
        return declaredTenants.contains(tenant) ? tenant : "other";
    }
}
