package io.cellwatch.contract;

import java.util.List;

/**
 * A validated topic split into its levels; {@code levels.get(0)} is {@code "tenants"}, {@code levels.get(1)} the tenant.
 *
 * @param topic  the topic as published
 * @param levels every level, validated
 * @param kind   metric leaf, node or not telemetry
 */
public record TopicPath(String topic, List<String> levels, TopicKind kind) {

    public TopicPath {
        levels = List.copyOf(levels);
    }

    /** The tenant the topic belongs to. */
    public String tenant() {
        return levels.get(1);
    }
}
