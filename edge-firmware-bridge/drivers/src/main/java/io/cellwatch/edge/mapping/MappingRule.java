package io.cellwatch.edge.mapping;

import io.cellwatch.mapping.IdSource;

import java.util.List;

/**
 * One rule of a local MQTT source as the gateway config writes it: messages on {@code filter} go to the node
 * {@code path} under the plant, whose {@code {id}} levels take the first id found in {@code ids}; every numeric or
 * boolean payload field named in {@code metrics} (all when empty) is a metric, and {@code tsField} (if set) is the
 * device time. {@link RuleMapping} compiles it into the mapping engine's rule.
 *
 * @param name the rule's name in the config ({@code rule.NAME.*})
 * @param line line of its filter, for messages
 */
public record MappingRule(String name, int line, String filter, String path, List<IdSource> ids, List<String> metrics,
                          String tsField) {

    /** The id level in {@code path} that the id fills. */
    public static final String ID = "{id}";
    private static final String PAYLOAD = "payload.";
    private static final String TOPIC = "topic.";
    private static final int MAX_LEVEL = 64;

    public MappingRule {
        ids = List.copyOf(ids);
        metrics = List.copyOf(metrics);
    }

    /**
     * Reads the config's spelling of an id source: {@code payload.NAME} or {@code topic.N}; throws
     * {@link IllegalArgumentException} otherwise.
     */
    public static IdSource idSource(final String text) {
        final String t = text.strip();
        if (t.startsWith(PAYLOAD) && t.length() > PAYLOAD.length()) {
            return IdSource.field(t.substring(PAYLOAD.length()));
        }
        if (t.startsWith(TOPIC)) {
            try {
                final int level = Integer.parseInt(t.substring(TOPIC.length()));
                if (level >= 1 && level <= MAX_LEVEL) {
                    return IdSource.topicLevel(level);
                }
            } catch (final NumberFormatException notANumber) {
                // reported below
            }
        }
        throw new IllegalArgumentException("'" + t + "' is not payload.FIELD or topic.N (N from 1)");
    }
}
