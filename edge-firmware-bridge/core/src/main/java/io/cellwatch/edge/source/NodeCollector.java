package io.cellwatch.edge.source;

import io.cellwatch.contract.TopicBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gathers the values of one poll by node, in first-seen order, so a cell's metrics go out in one payload. */
public final class NodeCollector {

    private final TopicBuilder plant;
    private final Map<String, List<String>> names = new LinkedHashMap<>();
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    public NodeCollector(final TopicBuilder plant) {
        this.plant = plant;
    }

    /** Adds {@code metric = value} to the node at {@code path} ((level, id) pairs under the plant, or empty). */
    public void add(final String path, final String metric, final double value) {
        names.computeIfAbsent(path, p -> new ArrayList<>()).add(metric);
        values.computeIfAbsent(path, p -> new ArrayList<>()).add(value);
    }

    public List<NodeReading> readings(final long ts) {
        final List<NodeReading> out = new ArrayList<>(names.size());
        for (final Map.Entry<String, List<String>> e : names.entrySet()) {
            final List<Double> v = values.get(e.getKey());
            final double[] array = new double[v.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = v.get(i);
            }
            out.add(new NodeReading(node(e.getKey()), e.getValue(), array, ts));
        }
        return out;
    }

    private String node(final String path) {
        TopicBuilder node = plant;
        if (!path.isEmpty()) {
            final String[] levels = path.split("/");
            for (int i = 0; i + 1 < levels.length; i += 2) {
                node = node.child(levels[i], levels[i + 1]);
            }
        }
        return node.node();
    }
}
