package io.cellwatch.contract;

/** What a topic is under the topic contract. */
public enum TopicKind {
    /** Ends in a metric leaf: odd number of levels; payload is one number. */
    METRIC,
    /** Ends at a node: even number of levels; payload is a JSON object of metrics. */
    NODE,
    /** Outside {@code tenants/} or a reserved name (status, meta, ...): passed through, not telemetry. */
    NOT_TELEMETRY
}
