package io.cellwatch.mapping;

/**
 * One place a mapped id may come from: a payload field, or the {@code n}-th {@code +} level of the rule's filter.
 *
 * @param field    payload field name, or {@code null} for a wildcard level
 * @param wildcard 1-based index among the filter's {@code +} levels; 0 for a payload field
 */
public record IdSource(String field, int wildcard) {

    /** The id in payload field {@code name}. */
    public static IdSource field(final String name) {
        return new IdSource(name, 0);
    }

    /** The id in the {@code index}-th {@code +} level of the topic. */
    public static IdSource wildcard(final int index) {
        return new IdSource(null, index);
    }

    @Override
    public String toString() {
        return field != null ? field : "+" + wildcard;
    }
}
