package io.cellwatch.edge.opcua;

import io.cellwatch.edge.config.MetricMapFile;

import java.util.List;

/**
 * One line of a node map: an OPC-UA variable and where its value goes.
 *
 * @param line        line in the node map, for messages
 * @param node        the node as written: a node id ({@code ns=2;i=1001}) or a browse path
 *                    ({@code /Objects/2:Battery/2:Voltage})
 * @param browsePath  the browse path's qualified names ({@code ns:name} each) from the Objects folder, or empty when
 *                    {@code node} is a node id
 * @param path        (level, id) pairs under the plant, or empty for the plant node
 * @param metric      metric name in that node
 * @param scale       published value = raw × scale + offset
 */
public record NodeSpec(int line, String node, List<String> browsePath, String path, String metric, double scale,
                       double offset) implements MetricMapFile.Entry {

    public NodeSpec {
        browsePath = List.copyOf(browsePath);
    }

    /** True when {@link #node} is a browse path to resolve on the server. */
    public boolean byBrowsePath() {
        return !browsePath.isEmpty();
    }
}
