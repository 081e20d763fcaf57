package io.cellwatch.extension.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The discovered topic tree and every series in it, interned: one {@link SeriesNode} per node path and one
 * {@link Series} per metric, created on first publish and never removed.
 * <p>
 * Lookups by the exact topic a gateway publishes to are one hash lookup, so a known topic skips validation on the
 * publish path. Thread-safe.
 */
public final class SeriesCatalog {

    /** Hands out series ids. */
    interface IdSource {
        int next();
    }

    private final SeriesNode root = new SeriesNode("", "", "");
    private final ConcurrentHashMap<String, SeriesNode> nodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final IdSource ids = nextId::getAndIncrement;

    /** The root of the tree (empty path); its children are the {@code tenants/{tenant}} nodes. */
    public SeriesNode root() {
        return root;
    }

    /** The series whose key is {@code topic}, or {@code null}. */
    public Series series(final String topic) {
        return series.get(topic);
    }

    /** The node a gateway publishes to at {@code topic} (never the root), or {@code null}. */
    public SeriesNode publishedNode(final String topic) {
        return nodes.get(topic);
    }

    /** The node at {@code path} ({@code ""} is the root), or {@code null}. */
    public SeriesNode node(final String path) {
        return path.isEmpty() ? root : nodes.get(path);
    }

    /** Number of series discovered. */
    public int size() {
        return series.size();
    }

    /**
     * The node at the path made of {@code levels}, created with its ancestors if new.
     *
     * @param levels validated levels, an even number: (level, id) pairs
     */
    public SeriesNode internNode(final List<String> levels) {
        SeriesNode node = root;
        for (int i = 0; i + 1 < levels.size(); i += 2) {
            node = node.child(levels.get(i), levels.get(i + 1));
            nodes.putIfAbsent(node.path(), node);
        }
        return node;
    }

    /** The series {@code metric} of {@code node}, created if new. {@code metric} must be a validated name. */
    public Series internSeries(final SeriesNode node, final String metric) {
        final Series existing = node.metric(metric);
        if (existing != null) {
            return existing;
        }
        final Series created = node.metric(metric, ids);
        series.putIfAbsent(created.key(), created);
        return created;
    }

    /**
     * Every series in the subtree at {@code path}: a node's whole subtree, a single series if {@code path} is a
     * series key, everything for the empty path, nothing if the path is not (yet) known.
     */
    public List<Series> under(final String path) {
        final List<Series> found = new ArrayList<>();
        final SeriesNode node = node(path);
        if (node != null) {
            node.collectSeries(found);
        } else {
            Optional.ofNullable(series.get(path)).ifPresent(found::add);
        }
        return found;
    }
}
