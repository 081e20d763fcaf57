package io.cellwatch.mapping;

import java.util.List;

/**
 * A tenant or id of a mapped tree: a literal ({@code acme}) or alternatives tried in order
 * ({@code {machine_id|+1}}: the payload's {@code machine_id} when present, else the first {@code +} level).
 *
 * @param literal      the fixed value, or {@code null}
 * @param alternatives the sources tried in order when not a literal
 */
public record IdTemplate(String literal, List<IdSource> alternatives) {

    public IdTemplate {
        alternatives = List.copyOf(alternatives);
    }

    /** A fixed value. */
    public static IdTemplate literal(final String value) {
        return new IdTemplate(value, List.of());
    }

    /** Payload fields this template reads (they are ids, not metrics). */
    public List<String> fields() {
        return alternatives.stream().filter(s -> s.field() != null).map(IdSource::field).toList();
    }

    @Override
    public String toString() {
        if (literal != null) {
            return literal;
        }
        final StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < alternatives.size(); i++) {
            out.append(i == 0 ? "" : "|").append(alternatives.get(i));
        }
        return out.append('}').toString();
    }
}
