package io.cellwatch.edge.opcua;

import io.cellwatch.edge.config.ConfigProblems;
import io.cellwatch.edge.config.MetricMapFile;
import io.cellwatch.edge.source.NodePath;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a node map: a CSV file with the columns {@value #HEADER}, {@code #} comments, one OPC-UA variable a line.
 * Every problem is reported as {@code file:line: column '…': why}; nothing is returned half-checked.
 */
public final class NodeMapParser {

    /** The header line every node map starts with. */
    public static final String HEADER = "node,path,metric,scale,offset";

    private static final Pattern BROWSE_NAME = Pattern.compile("(\\d+:)?[^/:]+");

    private NodeMapParser() {
    }

    /** The entries of {@code file}; problems go to {@code problems} and the entries with them are left out. */
    public static List<NodeSpec> parse(final Path file, final ConfigProblems problems) {
        return MetricMapFile.read(file, "node map", HEADER, NodeMapParser::entry, problems);
    }

    private static NodeSpec entry(final Path file, final int n, final String[] f, final ConfigProblems problems) {
        final int before = problems.list().size();
        final List<String> browsePath = new ArrayList<>();
        if (f[0].startsWith("/")) {
            for (final String element : f[0].substring(1).split("/", -1)) {
                if (!BROWSE_NAME.matcher(element).matches()) {
                    problems.at(file, n, "node '" + f[0] + "': browse path element '" + element
                            + "' is not NAME or NAMESPACE:NAME (path from the Objects folder, e.g. /2:Battery/2:Voltage)");
                    break;
                }
                browsePath.add(element);
            }
        } else if (NodeId.parseSafe(f[0]).isEmpty()) {
            problems.at(file, n, "node '" + f[0] + "': expected a node id (ns=2;i=1001, ns=2;s=Rack1.Voltage)"
                    + " or a browse path from the Objects folder (/2:Battery/2:Voltage)");
        }
        try {
            NodePath.check(f[1], f[2]);
        } catch (final IllegalArgumentException e) {
            problems.at(file, n, "path '" + f[1] + "' / metric '" + f[2] + "': " + e.getMessage());
        }
        final double scale = MetricMapFile.decimal(file, n, "scale", f[3], 1, problems);
        if (scale == 0) {
            problems.at(file, n, "scale is 0: every value would be the offset");
        }
        final double offset = MetricMapFile.decimal(file, n, "offset", f[4], 0, problems);
        if (problems.list().size() != before) {
            return null;
        }
        return new NodeSpec(n, f[0], browsePath, f[1], f[2], scale, offset);
    }
}
