package io.cellwatch.extension.config;

/**
 * Server-wide defaults of the per-tenant quotas; a tenant block's {@code limit} lines in the ACL file override them
 * for that tenant (docs/access-control.md#limits). The payload size limit is {@code ingest.max-payload-bytes}.
 *
 * @param seriesPerTenant           series a tenant may have in all
 * @param newSeriesPerMinute        new series a tenant may create per minute; a full minute's worth may come at once
 * @param metricsPerPayload         metrics one node payload may carry
 * @param retainedBytesPerTenant    bytes (topic + payload) of retained messages a tenant may keep on the broker
 * @param retainedMessagesPerTenant retained messages a tenant may keep on the broker
 * @param subscriptionsPerClient    subscriptions one MQTT client (its session) may hold
 * @param sessionsPerUser           client ids one user may hold at once, connected or with a kept session
 */
public record QuotaSettings(int seriesPerTenant, int newSeriesPerMinute, int metricsPerPayload,
                            int retainedBytesPerTenant, int retainedMessagesPerTenant, int subscriptionsPerClient,
                            int sessionsPerUser) {

    public static final String SERIES_PER_TENANT = "quota.series-per-tenant";
    public static final String NEW_SERIES_PER_MINUTE = "quota.new-series-per-minute";
    public static final String METRICS_PER_PAYLOAD = "quota.metrics-per-payload";
    public static final String RETAINED_BYTES_PER_TENANT = "quota.retained-bytes-per-tenant";
    public static final String RETAINED_MESSAGES_PER_TENANT = "quota.retained-messages-per-tenant";
    public static final String SUBSCRIPTIONS_PER_CLIENT = "quota.subscriptions-per-client";
    public static final String SESSIONS_PER_USER = "quota.sessions-per-user";

    /**
     * 500,000 series (~0.4 GB of heap at the ~0.8 KB a series costs, a fifth of the 2 GiB the unit file gives), 100,000
     * new series a minute (a new 20,000-cell plant with 3 metrics a cell appears at once), 1,000 metrics a payload,
     * 64 MiB and 100,000 retained messages, 1,000 subscriptions a client and 100 client ids a user.
     * docs/access-control.md#limits gives the reasoning.
     */
    public static QuotaSettings defaults() {
        return new QuotaSettings(500_000, 100_000, 1_000, 64 * 1024 * 1024, 100_000, 1_000, 100);
    }

    static QuotaSettings from(final ConfigFile file, final ConfigErrors errors) {
        final QuotaSettings d = defaults();
        return new QuotaSettings(
                file.intValue(SERIES_PER_TENANT, d.seriesPerTenant(), 1, 1_000_000_000, errors),
                file.intValue(NEW_SERIES_PER_MINUTE, d.newSeriesPerMinute(), 1, 1_000_000_000, errors),
                file.intValue(METRICS_PER_PAYLOAD, d.metricsPerPayload(), 1, 1_000_000, errors),
                file.intValue(RETAINED_BYTES_PER_TENANT, d.retainedBytesPerTenant(), 1, Integer.MAX_VALUE, errors),
                file.intValue(RETAINED_MESSAGES_PER_TENANT, d.retainedMessagesPerTenant(), 1, 1_000_000_000,
                        errors),
                file.intValue(SUBSCRIPTIONS_PER_CLIENT, d.subscriptionsPerClient(), 1, 1_000_000, errors),
                file.intValue(SESSIONS_PER_USER, d.sessionsPerUser(), 1, 1_000_000, errors));
    }
}
