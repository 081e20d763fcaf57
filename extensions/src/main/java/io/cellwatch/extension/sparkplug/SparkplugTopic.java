package io.cellwatch.extension.sparkplug;

import io.cellwatch.mapping.SparkplugTopics;

import java.util.Set;

/**
 * A Sparkplug B topic: {@code spBv1.0/{group}/{type}/{edge node}[/{device}]}; node types (N…) have no device, device
 * types (D…) have one. Immutable.
 *
 * @param group  the group id
 * @param type   NBIRTH, NDEATH, NDATA, NCMD, DBIRTH, DDEATH, DDATA or DCMD
 * @param node   the edge node id
 * @param device the device id, or {@code null} for a node message
 */
public record SparkplugTopic(String group, String type, String node, String device) {

    private static final Set<String> NODE_TYPES = Set.of("NBIRTH", "NDEATH", "NDATA", "NCMD");
    private static final Set<String> DEVICE_TYPES = Set.of("DBIRTH", "DDEATH", "DDATA", "DCMD");

    /** The topic parsed, or {@code null} if it is not a Sparkplug B node or device topic (e.g. STATE). */
    public static SparkplugTopic parse(final String topic) {
        final String[] levels = topic.split("/", -1);
        if (levels.length < 4 || levels.length > 5 || !levels[0].equals(SparkplugTopics.NAMESPACE)) {
            return null;
        }
        for (int i = 1; i < levels.length; i++) {
            if (!SparkplugTopics.isValidId(levels[i])) {
                return null;
            }
        }
        final String type = levels[2];
        if (levels.length == 4 && NODE_TYPES.contains(type)) {
            return new SparkplugTopic(levels[1], type, levels[3], null);
        }
        if (levels.length == 5 && DEVICE_TYPES.contains(type)) {
            return new SparkplugTopic(levels[1], type, levels[3], levels[4]);
        }
        return null;
    }

    /** A command (NCMD, DCMD): sent to the edge, not data from it. */
    public boolean isCommand() {
        return type.endsWith("CMD");
    }

    /** The NCMD topic of this topic's edge node, where a rebirth is requested. */
    public String nodeCommandTopic() {
        return SparkplugTopics.nodeCommand(group, node);
    }
}
