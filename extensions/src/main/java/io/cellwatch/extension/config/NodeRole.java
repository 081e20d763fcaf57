package io.cellwatch.extension.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What one cellwatch node runs: everything alone, or its part of a cluster linked by Apache Kafka. */
public enum NodeRole {

    /** One node, no Kafka: MQTT, WAL, DuckDB history, live view, alerts (the default). */
    ALL("all", false, true),
    /** MQTT broker and WAL; exports every accepted sample to Kafka. Serves no dashboard data. */
    INGEST("ingest", true, false),
    /**
     * Builds tree, latest values, live view, history and alerts from Kafka. Its own MQTT listener still works as a
     * single node's (the synthetic probe uses it); what it takes there is not exported.
     */
    SERVE("serve", false, true);

    private final String word;
    private final boolean exports;
    private final boolean serves;

    NodeRole(final String word, final boolean exports, final boolean serves) {
        this.word = word;
        this.exports = exports;
        this.serves = serves;
    }

    /** The role's name in {@code node.role}. */
    public String word() {
        return word;
    }

    /** Whether this node's WAL is exported to Kafka. */
    public boolean exports() {
        return exports;
    }

    /** Whether this node serves the dashboard, REST, live view, history and alerts. */
    public boolean serves() {
        return serves;
    }

    /** Whether this node consumes samples from Kafka. */
    public boolean consumes() {
        return this == SERVE;
    }

    /** The role named {@code word}. */
    public static NodeRole parse(final String word) {
        for (final NodeRole role : values()) {
            if (role.word.equals(word)) {
                return role;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a role; roles are " + Arrays.stream(values())
                .map(NodeRole::word).collect(Collectors.joining(", ")));
    }
}
