package io.cellwatch.mapping;

import io.cellwatch.contract.TopicFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code map} block: publishes matching {@link #filter()} become samples of the node
 * {@code tenants/{tenant}/{level}/{id}/…}. Immutable and thread-safe.
 *
 * @param line       line of the {@code map} keyword
 * @param filter     MQTT topic filter ({@code +} and a final {@code #})
 * @param tenant     the tenant of the samples
 * @param levelNames level names of the node, parallel to {@code ids}
 * @param ids        ids of the node's levels
 * @param metrics    payload fields taken as metrics; empty: every numeric or boolean field that is not an id or the
 *                   time
 * @param tsField    payload field holding the device time, or {@code null} (server time)
 */
public record TopicRule(int line, TopicFilter filter, IdTemplate tenant, List<String> levelNames, List<IdTemplate> ids,
                        List<String> metrics, String tsField) {

    public TopicRule {
        levelNames = List.copyOf(levelNames);
        ids = List.copyOf(ids);
        metrics = List.copyOf(metrics);
    }

    /** Payload fields used as tenant or ids, never taken as metrics. */
    public List<String> idFields() {
        final List<String> fields = new ArrayList<>(tenant.fields());
        ids.forEach(id -> fields.addAll(id.fields()));
        return fields;
    }

    /**
     * The values of the filter's {@code +} levels in {@code topic}, in order, or {@code null} if {@code topic} does
     * not match the filter.
     */
    public List<String> match(final String topic) {
        return filter.captures(topic);
    }
}
