package io.cellwatch.edge.source;

import io.cellwatch.contract.TopicBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers values that carry their own time (OPC-UA notifications, sensor messages) into node readings: values of
 * one node with the same time share a payload; a metric seen twice for the same node and time starts a new one, so
 * no value is lost. Not thread-safe: one per batch.
 */
public final class TimedNodeCollector {

    private final TopicBuilder plant;
    private final Map<String, Group> open = new LinkedHashMap<>();
    private final List<Group> done = new ArrayList<>();

    public TimedNodeCollector(final TopicBuilder plant) {
        this.plant = plant;
    }

    /** Adds {@code metric = value} at {@code ts} to the node at {@code path} ((level, id) pairs, or empty). */
    public void add(final String path, final String metric, final double value, final long ts) {
        final String key = path + '\u0000' + ts;
        Group group = open.get(key);
        if (group != null && group.names.contains(metric)) {
            done.add(group);
            group = null;
        }
        if (group == null) {
            group = new Group(path, ts);
            open.put(key, group);
        }
        group.names.add(metric);
        group.values.add(value);
    }

    public List<NodeReading> readings() {
        final List<NodeReading> out = new ArrayList<>(done.size() + open.size());
        for (final Group group : done) {
            out.add(group.reading(plant));
        }
        for (final Group group : open.values()) {
            out.add(group.reading(plant));
        }
        return out;
    }

    private static final class Group {
        private final String path;
        private final long ts;
        private final List<String> names = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();

        private Group(final String path, final long ts) {
            this.path = path;
            this.ts = ts;
        }

        private NodeReading reading(final TopicBuilder plant) {
            final NodeCollector one = new NodeCollector(plant);
            for (int i = 0; i < names.size(); i++) {
                one.add(path, names.get(i), values.get(i));
            }
            return one.readings(ts).get(0);
        }
    }
}
