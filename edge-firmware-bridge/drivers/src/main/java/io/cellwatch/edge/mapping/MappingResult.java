package io.cellwatch.edge.mapping;

import io.cellwatch.edge.source.NodeReading;

/**
 * What a message became: a reading, or the reason it was dropped.
 *
 * @param reading    the node reading, or null when dropped
 * @param dropped    why it was dropped, or null
 * @param tsReplaced true when the message's time was implausible (or absent) and gateway time was used
 */
public record MappingResult(NodeReading reading, Drop dropped, boolean tsReplaced) {

    /** Why a message was not published; each is counted per source. */
    public enum Drop {
        /** No rule's filter matches the topic. */
        NO_RULE("no-rule"),
        /** The payload is not a JSON object. */
        NOT_JSON("not-json"),
        /** Neither the payload field nor the topic level named by the rule gives an id. */
        NO_ID("no-id"),
        /** The id found cannot be a topic level. */
        BAD_ID("bad-id"),
        /** No numeric metric field in the payload. */
        NO_METRIC("no-metric");

        private final String counter;

        Drop(final String counter) {
            this.counter = counter;
        }

        /** The counter's name in health and metrics. */
        public String counter() {
            return counter;
        }
    }

    static MappingResult drop(final Drop why) {
        return new MappingResult(null, why, false);
    }
}
