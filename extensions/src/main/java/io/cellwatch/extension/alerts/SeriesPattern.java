package io.cellwatch.extension.alerts;

import io.cellwatch.contract.TopicFilter;

/**
 * A pattern over series keys below a tenant, in MQTT filter style: {@code plants/+/racks/+/cells/+/temperature}
 * ({@code +} one level, {@code #} as the last level: any rest), matched by the contract's {@link TopicFilter}.
 * Immutable.
 *
 * @param text   the pattern as written
 * @param filter the compiled pattern
 */
public record SeriesPattern(String text, TopicFilter filter) {

    static SeriesPattern of(final String text) {
        return new SeriesPattern(text, TopicFilter.mqtt(text));
    }

    /**
     * Whether the series whose key is split into {@code key} matches; {@code key[0]} is {@code tenants},
     * {@code key[1]} the tenant, the pattern applies from {@code key[2]}.
     */
    boolean matches(final String[] key) {
        return filter.matchesLevels(key, 2);
    }
}
