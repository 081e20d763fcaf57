package io.cellwatch.extension.quota;

import io.cellwatch.acl.rules.TenantLimit;
import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;

/** Refusals of publishes over a tenant's quota ({@code cellwatch_quota_refused_total}). Thread-safe. */
public final class QuotaMetrics {

    /** Counts nothing (tools, tests). */
    public static final QuotaMetrics NONE = new QuotaMetrics(null);

    private final Counter refused;

    private QuotaMetrics(final Counter refused) {
        this.refused = refused;
    }

    /** Registers the counter in {@code metrics}. */
    public static QuotaMetrics register(final Metrics metrics) {
        return new QuotaMetrics(metrics.counter("cellwatch_quota_refused_total",
                "Publishes, subscriptions and connections refused as over a quota of a tenant, by limit and tenant (tenants of the ACL file; "
                        + "'none' for clients without tenant, 'other' for a tenant not declared)", "limit", "tenant"));
    }

    void refused(final TenantLimit limit, final String tenantLabel) {
        if (refused != null) {
            refused.labelValues(limit.word(), tenantLabel).inc();
        }
    }
}
