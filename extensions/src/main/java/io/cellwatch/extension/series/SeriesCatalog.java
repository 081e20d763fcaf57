package io.cellwatch.extension.series;

import io.cellwatch.contract.TopicResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The discovered topic tree and every series in it, interned: one {@link SeriesNode} per node path and one
 * {@link Series} per metric, created on first publish and never removed.
 * <p>
 * Lookups by the exact topic a gateway publishes to are one hash lookup, so a known topic skips validation on the
 * publish path. Thread-safe.
 */
public final class SeriesCatalog {

    /** Creates a series of a node; called inside the node's atomic insert. */
    interface Factory {
        Series create(SeriesNode node, String metric);
    }

    private final SeriesNode root = new SeriesNode("", "", "", false);
    // The internal tenant of the synthetic probe hangs here: not a child of root, so no tree, snapshot or
    // subscription that starts at the root or "tenants" ever shows it.
    private final SeriesNode internalRoot = new SeriesNode("", "", "", true);
    private final ConcurrentHashMap<String, SeriesNode> nodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Series> byId = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Consumer<Series> onCreated;

    /** A catalog that tells nobody about new series (tests, tools). */
    public SeriesCatalog() {
        this(series -> { });
    }

    /**
     * @param onCreated called once per new series, inside its creation, before any other thread can see it: the
     *                  WAL records the definition there, so it always precedes the series' first sample
     */
    public SeriesCatalog(final Consumer<Series> onCreated) {
        this.onCreated = onCreated;
    }

    /**
     * The root of the tree (empty path); its children are the {@code tenants/{tenant}} nodes, all but the internal
     * tenant of the synthetic probe ({@link TopicResolver#INTERNAL_TENANT}), which is reachable by its path only.
     */
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
        SeriesNode node = TopicResolver.isInternal(levels) ? internalRoot : root;
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
        final Series created = node.metric(metric, (n, m) -> {
            final Series fresh = new Series(nextId.getAndIncrement(), n, m);
            onCreated.accept(fresh);
            return fresh;
        });
        register(created);
        return created;
    }

    /**
     * Re-creates a series known from storage under its stored id; used by recovery before the broker takes
     * publishes. {@code key} is a validated series key as stored.
     */
    public Series restore(final int id, final String key) {
        final List<String> levels = List.of(key.split("/"));
        final SeriesNode node = internNode(levels.subList(0, levels.size() - 1));
        final Series restored = node.metric(levels.get(levels.size() - 1), (n, m) -> new Series(id, n, m));
        nextId.accumulateAndGet(id + 1, Math::max);
        register(restored);
        return restored;
    }

    /** The series with id {@code id}, or {@code null}. */
    public Series byId(final int id) {
        return byId.get(id);
    }

    private void register(final Series created) {
        series.putIfAbsent(created.key(), created);
        byId.putIfAbsent(created.id(), created);
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
