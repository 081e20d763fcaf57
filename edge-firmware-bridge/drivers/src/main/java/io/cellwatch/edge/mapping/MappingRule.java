package io.cellwatch.edge.mapping;

import java.util.List;

/**
 * One rule of a local MQTT source: messages on {@code filter} go to the node {@code path} (with {@code {id}} replaced
 * by the first id found in {@code ids}), every numeric payload field named in {@code metrics} (all when empty) is a
 * metric, and {@code tsField} (if set) is the device time.
 *
 * @param name    the rule's name in the config ({@code rule.NAME.*})
 * @param line    line of its filter, for messages
 */
public record MappingRule(String name, int line, String filter, String path, List<IdSource> ids, List<String> metrics,
                          String tsField) {

    /** The placeholder in {@code path} that the id replaces. */
    public static final String ID = "{id}";

    public MappingRule {
        ids = List.copyOf(ids);
        metrics = List.copyOf(metrics);
    }

    /** True when {@code topic} matches {@code filter} ({@code +} one level, {@code #} the rest). */
    public boolean matches(final String topic) {
        final String[] f = filter.split("/", -1);
        final String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
