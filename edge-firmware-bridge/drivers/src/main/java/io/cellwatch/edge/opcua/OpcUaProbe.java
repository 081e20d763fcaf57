package io.cellwatch.edge.opcua;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code check --probe} for an OPC-UA source: connects once as {@code run} does, resolves every node id and browse
 * path of the node map, reads each node once and reports per map line OK with the value, or what the server said
 * (a node id it does not know, a browse path it cannot resolve, a bad status, a value that is not a number).
 */
public final class OpcUaProbe {

    private OpcUaProbe() {
    }

    /** Prints one line per node map line and a summary; returns the number of lines {@code run} would not publish. */
    public static int probe(final OpcUaSettings settings, final String clientId, final PrintStream out) {
        final List<NodeSpec> specs = settings.nodes();
        final String file = settings.nodeMap() == null ? "node map" : settings.nodeMap().getFileName().toString();
        final String[] report = new String[specs.size()];
        int lost = 0;
        out.println("source " + settings.name() + " (" + settings.endpoint() + ", " + settings.securityPolicy() + "/"
                + settings.securityMode() + "): " + specs.size() + " map lines");
        OpcUaClient client = null;
        try {
            client = new OpcUaConnector(settings, clientId).open(lostClient -> { });
            final NodeResolver.Resolved resolved = NodeResolver.resolve(client, specs, settings.timeout());
            final List<NodeId> read = new ArrayList<>();
            final List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                final StatusCode unresolved = resolved.unresolved().get(i);
                if (unresolved != null) {
                    report[i] = "browse path not found (" + OpcUaConnector.name(unresolved) + "): the server has no"
                            + " node at this path from the Objects folder";
                } else {
                    read.add(resolved.ids()[i]);
                    indexes.add(i);
                }
            }
            final List<DataValue> values = read.isEmpty() ? List.of() : client.readValues(0.0,
                    TimestampsToReturn.Both, read).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            for (int k = 0; k < indexes.size(); k++) {
                final int i = indexes.get(k);
                report[i] = describe(specs.get(i), values.get(k));
            }
        } catch (final ConnectProblem.Failure e) {
            java.util.Arrays.fill(report, "not read: " + e.getMessage());
        } catch (final Exception e) {
            java.util.Arrays.fill(report, "not read: " + OpcUaConnector.describe(e));
        } finally {
            if (client != null) {
                try {
                    client.disconnect().get(5, TimeUnit.SECONDS);
                } catch (final Exception ignored) {
                    // The probe is done; a slow disconnect changes nothing in its report.
                }
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            final NodeSpec spec = specs.get(i);
            if (!report[i].startsWith("OK ")) {
                lost++;
            }
            out.println("  " + file + ":" + spec.line() + " " + spec.node() + " -> "
                    + (spec.path().isEmpty() ? "" : spec.path() + "/") + spec.metric() + ": " + report[i]);
        }
        out.println("source " + settings.name() + ": " + (lost == 0 ? "every map line reads"
                : lost + " of " + specs.size() + " map lines are not read by run"));
        return lost;
    }

    private static String describe(final NodeSpec spec, final DataValue value) {
        final StatusCode status = value.getStatusCode();
        if (status == null || !status.isGood()) {
            final String name = status == null ? "no status" : OpcUaConnector.name(status);
            return status != null && status.getValue() == StatusCodes.Bad_NodeIdUnknown
                    ? name + ": the server has no node with this id" : name + " (run counts it as bad-status)";
        }
        final Object raw = value.getValue().getValue();
        final Double number = OpcUaSource.number(raw);
        if (number == null || !Double.isFinite(number)) {
            return "not a number (" + (raw == null ? "empty" : raw.getClass().getSimpleName() + " " + raw)
                    + "): run counts it as bad-values and publishes nothing";
        }
        return "OK " + format(number * spec.scale() + spec.offset());
    }

    private static String format(final double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
