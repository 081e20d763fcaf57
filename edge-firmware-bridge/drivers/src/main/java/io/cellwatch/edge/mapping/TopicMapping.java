package io.cellwatch.edge.mapping;

import io.cellwatch.edge.source.NodeReading;

import java.util.List;

/**
 * Turns a message from a plant-local broker into a node reading under the plant, or says why it cannot. The gateway's
 * MQTT source depends only on this; {@link RuleMapping} implements it on the server's mapping engine
 * ({@code io.cellwatch.mapping}). Implementations are thread-safe.
 */
public interface TopicMapping {

    /** The topic filters to subscribe to on the local broker. */
    List<String> filters();

    /** Maps one message, at the implementation's clock if the message's own time is not kept. */
    MappingResult map(String topic, byte[] payload);
}
