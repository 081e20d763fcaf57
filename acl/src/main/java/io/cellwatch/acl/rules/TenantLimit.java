package io.cellwatch.acl.rules;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A per-tenant quota that a {@code limit <name> <value>} line of a tenant block sets, overriding the server-wide
 * default of the setting named in {@link #settingKey()}. Values are positive whole numbers up to {@link #max()}.
 */
public enum TenantLimit {
    /** Series the tenant may have in all. */
    SERIES("series", "quota.series-per-tenant", 1_000_000_000L),
    /** New series the tenant may create per minute (a full minute's worth may come at once). */
    NEW_SERIES_PER_MINUTE("new-series-per-minute", "quota.new-series-per-minute", 1_000_000_000L),
    /** Metrics one node payload may carry. */
    METRICS_PER_PAYLOAD("metrics-per-payload", "quota.metrics-per-payload", 1_000_000L),
    /** Bytes of one payload, on every topic the tenant's members publish to. */
    PAYLOAD_BYTES("payload-bytes", "ingest.max-payload-bytes", 16L * 1024 * 1024),
    /** Bytes of retained messages (topic and payload) the tenant may keep on the broker. */
    RETAINED_BYTES("retained-bytes", "quota.retained-bytes-per-tenant", 1L << 40),
    /** Retained messages the tenant may keep on the broker. */
    RETAINED_MESSAGES("retained-messages", "quota.retained-messages-per-tenant", 1_000_000_000L),
    /** Subscriptions one MQTT client (one session) may hold. */
    SUBSCRIPTIONS_PER_CLIENT("subscriptions-per-client", "quota.subscriptions-per-client", 1_000_000L),
    /** Client ids one user may hold at once: connected, or with a session the broker keeps. */
    SESSIONS_PER_USER("sessions-per-user", "quota.sessions-per-user", 1_000_000L);

    private final String word;
    private final String settingKey;
    private final long max;

    TenantLimit(final String word, final String settingKey, final long max) {
        this.word = word;
        this.settingKey = settingKey;
        this.max = max;
    }

    /** The name in {@code limit} lines, metric labels and reason strings, e.g. {@code series}. */
    public String word() {
        return word;
    }

    /** The setting of {@code cellwatch.properties} that holds the default for every tenant. */
    public String settingKey() {
        return settingKey;
    }

    /** The largest value accepted. */
    public long max() {
        return max;
    }

    /** The limit named {@code word}, or {@code null}. */
    public static TenantLimit ofWord(final String word) {
        for (final TenantLimit limit : values()) {
            if (limit.word.equals(word)) {
                return limit;
            }
        }
        return null;
    }

    /** Every limit name, comma-separated, for error messages. */
    public static String words() {
        return Arrays.stream(values()).map(TenantLimit::word).collect(Collectors.joining(", "));
    }
}
