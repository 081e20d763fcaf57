package io.cellwatch.edge.source;

import java.util.List;

/**
 * The metrics of one node read in one poll: what becomes one node payload.
 *
 * @param node   the node's topic, e.g. {@code tenants/acme/plants/p1/racks/r1/packs/k1/cells/3}
 * @param names  metric names, parallel to {@code values}
 * @param ts     device time of the poll, epoch milliseconds
 */
public record NodeReading(String node, List<String> names, double[] values, long ts) {

    public NodeReading {
        names = List.copyOf(names);
        values = values.clone();
    }
}
