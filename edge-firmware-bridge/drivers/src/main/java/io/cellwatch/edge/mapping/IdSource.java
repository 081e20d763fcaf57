package io.cellwatch.edge.mapping;

/**
 * One place an id may come from: a payload field ({@code payload.sensor_id}) or a topic level, counted from 1
 * ({@code topic.2}).
 *
 * @param field      the payload field, or null for a topic level
 * @param topicLevel the topic level (1-based), or 0 for a payload field
 */
public record IdSource(String field, int topicLevel) {

    /** Reads {@code payload.NAME} or {@code topic.N}; throws {@link IllegalArgumentException} otherwise. */
    public static IdSource parse(final String text) {
        final String t = text.strip();
        if (t.startsWith("payload.") && t.length() > "payload.".length()) {
            return new IdSource(t.substring("payload.".length()), 0);
        }
        if (t.startsWith("topic.")) {
            try {
                final int level = Integer.parseInt(t.substring("topic.".length()));
                if (level >= 1 && level <= 64) {
                    return new IdSource(null, level);
                }
            } catch (final NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("'" + t + "' is not payload.FIELD or topic.N (N from 1)");
    }

    @Override
    public String toString() {
        return field != null ? "payload." + field : "topic." + topicLevel;
    }
}
