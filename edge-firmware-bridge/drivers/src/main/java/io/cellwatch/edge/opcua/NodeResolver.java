package io.cellwatch.edge.opcua;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The node ids of a node map on one server: node ids as written, browse paths translated there in one request. */
final class NodeResolver {

    /**
     * @param ids        per map entry its node id, null where its browse path was not found
     * @param unresolved map entry index to the status the server gave its browse path
     */
    record Resolved(NodeId[] ids, Map<Integer, StatusCode> unresolved) {
    }

    private NodeResolver() {
    }

    static Resolved resolve(final OpcUaClient client, final List<NodeSpec> specs, final Duration timeout)
            throws Exception {
        final NodeId[] ids = new NodeId[specs.size()];
        final Map<Integer, StatusCode> unresolved = new LinkedHashMap<>();
        final List<Integer> byPath = new ArrayList<>();
        final List<BrowsePath> paths = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            final NodeSpec spec = specs.get(i);
            if (spec.byBrowsePath()) {
                byPath.add(i);
                paths.add(new BrowsePath(Identifiers.ObjectsFolder, new RelativePath(spec.browsePath().stream()
                        .map(name -> new RelativePathElement(Identifiers.HierarchicalReferences, false, true,
                                qualified(name))).toArray(RelativePathElement[]::new))));
            } else {
                ids[i] = NodeId.parse(spec.node());
            }
        }
        if (!paths.isEmpty()) {
            final BrowsePathResult[] results = client.translateBrowsePaths(paths)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).getResults();
            for (int k = 0; k < byPath.size(); k++) {
                final int i = byPath.get(k);
                final BrowsePathResult result = results[k];
                if (result.getStatusCode().isGood() && result.getTargets() != null
                        && result.getTargets().length > 0) {
                    ids[i] = result.getTargets()[0].getTargetId().toNodeId(client.getNamespaceTable()).orElse(null);
                }
                if (ids[i] == null) {
                    unresolved.put(i, result.getStatusCode());
                }
            }
        }
        return new Resolved(ids, unresolved);
    }

    private static QualifiedName qualified(final String name) {
        final int colon = name.indexOf(':');
        return colon < 0 ? new QualifiedName(0, name)
                : new QualifiedName(Integer.parseInt(name.substring(0, colon)), name.substring(colon + 1));
    }
}
