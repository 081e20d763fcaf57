package io.cellwatch.extension.sparkplug;

import io.cellwatch.contract.TopicResolver;

/**
 * Turns Sparkplug B ids and metric names into topic levels of the contract ({@code [A-Za-z0-9_.:@~-]}, at most 64
 * characters): '/' (Sparkplug's folder separator) becomes '.', other characters '_'; a reserved name gets a '_'
 * suffix. Metrics about the session rather than the process ({@code bdSeq}, {@code Node Control/…},
 * {@code Device Control/…}, {@code Properties/…}) are not telemetry. Stateless.
 */
final class SparkplugNames {

    private SparkplugNames() {
    }

    /** A group, node or device id as a topic level. */
    static String level(final String id) {
        return clean(id);
    }

    /** A metric name as a metric level, or {@code null} for a metric that is not telemetry. */
    static String metric(final String name) {
        if (name == null || name.isEmpty() || name.equals("bdSeq") || name.startsWith("Node Control/")
                || name.startsWith("Device Control/") || name.startsWith("Properties/")) {
            return null;
        }
        final String level = clean(name);
        return TopicResolver.RESERVED_NAMES.contains(level) ? level + "_" : level;
    }

    private static String clean(final String text) {
        final StringBuilder out = new StringBuilder(Math.min(text.length(), TopicResolver.MAX_LEVEL_LENGTH));
        for (int i = 0; i < text.length() && out.length() < TopicResolver.MAX_LEVEL_LENGTH; i++) {
            final char c = text.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || c == '.' || c == ':' || c == '@' || c == '~') {
                out.append(c);
            } else {
                out.append(c == '/' ? '.' : '_');
            }
        }
        return out.toString();
    }
}
