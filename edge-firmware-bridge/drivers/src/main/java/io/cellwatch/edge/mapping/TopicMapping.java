package io.cellwatch.edge.mapping;

import io.cellwatch.edge.source.NodeReading;

/**
 * Turns a message from a plant-local broker into a node reading under the plant, or says why it cannot. The gateway's
 * MQTT source depends only on this, so the rule language behind it can be swapped (e.g. for the server's mapping
 * rules) without touching the source. Implementations are thread-safe.
 */
public interface TopicMapping {

    /** The topic filters to subscribe to on the local broker. */
    java.util.List<String> filters();

    /** Maps one message received at gateway time {@code now} (epoch ms). */
    MappingResult map(String topic, byte[] payload, long now);
}
