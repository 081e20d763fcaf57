package io.cellwatch.mapping;

/**
 * One place a mapped id may come from: a payload field, the {@code n}-th {@code +} level of the rule's filter, or an
 * absolute level of the topic. Exactly one of the three is set.
 *
 * @param field      payload field name, or {@code null}
 * @param wildcard   1-based index among the filter's {@code +} levels (the server's {@code {+N}}), or 0
 * @param topicLevel 1-based level of the topic whatever the filter (the gateway's {@code topic.N}), or 0
 */
public record IdSource(String field, int wildcard, int topicLevel) {

    /** The id in payload field {@code name}. */
    public static IdSource field(final String name) {
        return new IdSource(name, 0, 0);
    }

    /** The id in the {@code index}-th {@code +} level of the topic: always present when the filter matched. */
    public static IdSource wildcard(final int index) {
        return new IdSource(null, index, 0);
    }

    /**
     * The id in level {@code level} (from 1) of the topic; absent when the topic is shorter (a {@code #} filter) or
     * the level is empty, so the next alternative is tried.
     */
    public static IdSource topicLevel(final int level) {
        if (level < 1) {
            throw new IllegalArgumentException("topic levels count from 1, not " + level);
        }
        return new IdSource(null, 0, level);
    }

    @Override
    public String toString() {
        return field != null ? field : wildcard > 0 ? "+" + wildcard : "topic." + topicLevel;
    }
}
