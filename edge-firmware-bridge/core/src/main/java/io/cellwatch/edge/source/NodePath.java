package io.cellwatch.edge.source;

import io.cellwatch.contract.TopicBuilder;

/** Checks a node path under the plant ((level, id) pairs) and a metric name against the topic contract. */
public final class NodePath {

    private NodePath() {
    }

    /**
     * Throws {@link IllegalArgumentException} with a message fit for an admin when {@code path} is not (level, id)
     * pairs of valid levels, or {@code metric} (if not null) is not a valid metric name.
     */
    public static void check(final String path, final String metric) {
        try {
            TopicBuilder node = TopicBuilder.tenant("t");
            final String[] levels = path.isEmpty() ? new String[0] : path.split("/", -1);
            if (levels.length % 2 != 0) {
                throw new IllegalArgumentException("path '" + path + "' needs (level, id) pairs, e.g. racks/r1/cells/3");
            }
            for (int i = 0; i < levels.length; i += 2) {
                node = node.child(levels[i], levels[i + 1]);
            }
            if (metric != null) {
                node.metric(metric);
            }
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceAll("topic level \\d+", "a level"), e);
        }
    }
}
