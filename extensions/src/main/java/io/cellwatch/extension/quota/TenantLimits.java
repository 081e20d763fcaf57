package io.cellwatch.extension.quota;

import io.cellwatch.acl.rules.TenantLimit;
import io.cellwatch.extension.config.QuotaSettings;

import java.util.Map;

/**
 * The quotas in force for one tenant: the server-wide defaults with the tenant block's {@code limit} lines applied.
 * Immutable.
 */
public record TenantLimits(long series, long newSeriesPerMinute, long metricsPerPayload, long payloadBytes,
                           long retainedBytes, long retainedMessages, long subscriptionsPerClient,
                           long sessionsPerUser) {

    /** No limit at all (tools, tests and benchmarks that build the publish path without settings). */
    public static final TenantLimits NONE = new TenantLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
            Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    /** The server-wide defaults: {@code settings}, and {@code maxPayloadBytes} for every topic. */
    public static TenantLimits defaults(final QuotaSettings settings, final int maxPayloadBytes) {
        return new TenantLimits(settings.seriesPerTenant(), settings.newSeriesPerMinute(),
                settings.metricsPerPayload(), maxPayloadBytes, settings.retainedBytesPerTenant(),
                settings.retainedMessagesPerTenant(), settings.subscriptionsPerClient(), settings.sessionsPerUser());
    }

    /** These limits with {@code overrides} (a tenant block's {@code limit} lines) in place. */
    public TenantLimits with(final Map<TenantLimit, Long> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        return new TenantLimits(overrides.getOrDefault(TenantLimit.SERIES, series),
                overrides.getOrDefault(TenantLimit.NEW_SERIES_PER_MINUTE, newSeriesPerMinute),
                overrides.getOrDefault(TenantLimit.METRICS_PER_PAYLOAD, metricsPerPayload),
                overrides.getOrDefault(TenantLimit.PAYLOAD_BYTES, payloadBytes),
                overrides.getOrDefault(TenantLimit.RETAINED_BYTES, retainedBytes),
                overrides.getOrDefault(TenantLimit.RETAINED_MESSAGES, retainedMessages),
                overrides.getOrDefault(TenantLimit.SUBSCRIPTIONS_PER_CLIENT, subscriptionsPerClient),
                overrides.getOrDefault(TenantLimit.SESSIONS_PER_USER, sessionsPerUser));
    }
}
