package io.cellwatch.extension.series;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node of the discovered tree, e.g. {@code tenants/acme/plants/p1}: a (level, id) pair with child nodes and
 * metrics. The root has an empty path. Children and metrics are only ever added. Thread-safe.
 */
public final class SeriesNode {

    private final String path;
    private final String level;
    private final String id;
    private final boolean internal;
    // The tenant node this node lies in (itself for a tenant node and a root); it numbers the tenant's series.
    private final SeriesNode tenant;
    private final AtomicInteger aliases;
    private final ConcurrentHashMap<String, SeriesNode> children = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Series> metrics = new ConcurrentHashMap<>();
    // Made when first asked for (live routing only); a race makes equal arrays.
    private volatile String[] prefixes;

    SeriesNode(final String path, final String level, final String id, final boolean internal) {
        this(path, level, id, internal, null);
    }

    private SeriesNode(final String path, final String level, final String id, final boolean internal,
                       final SeriesNode tenant) {
        this.path = path;
        this.level = level;
        this.id = id;
        this.internal = internal;
        this.tenant = tenant == null ? this : tenant;
        this.aliases = tenant == null ? new AtomicInteger() : null;
    }

    /**
     * Whether the node lies in the internal tenant of the synthetic probe: such nodes hang off a root of their own,
     * so no walk of the tree from the root and no subscription above the internal tenant reaches them.
     */
    public boolean internal() {
        return internal;
    }

    /** The node's topic, e.g. {@code tenants/acme/plants/p1}; empty for the root. */
    public String path() {
        return path;
    }

    /** The level name, e.g. {@code plants}; empty for the root. */
    public String level() {
        return level;
    }

    /** The id within the level, e.g. {@code p1}; empty for the root. */
    public String id() {
        return id;
    }

    /**
     * Every path a subscription can name that contains this node, outermost first: {@code ""}, {@code tenants},
     * {@code tenants/acme}, …, the node's own path; for an {@link #internal} node only the paths from the internal
     * tenant down (nobody watching everything sees the probe). Cached, so routing a change allocates no strings.
     */
    public String[] prefixes() {
        String[] cached = prefixes;
        if (cached == null) {
            final List<String> all = new ArrayList<>();
            if (!internal) {
                all.add("");
            }
            // An internal node's paths start at tenants/{internal tenant}: skip "tenants".
            final int skip = internal ? 2 : 1;
            int found = 0;
            for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                if (++found >= skip) {
                    all.add(path.substring(0, i));
                }
            }
            if (!path.isEmpty()) {
                all.add(path);
            }
            cached = all.toArray(String[]::new);
            prefixes = cached;
        }
        return cached;
    }

    /** Child nodes, sorted by path. */
    public List<SeriesNode> children() {
        final List<SeriesNode> sorted = new ArrayList<>(children.values());
        sorted.sort(Comparator.comparing(SeriesNode::path));
        return sorted;
    }

    /** Metrics of this node, sorted by name. */
    public List<Series> metrics() {
        final List<Series> sorted = new ArrayList<>(metrics.values());
        sorted.sort(Comparator.comparing(Series::metric));
        return sorted;
    }

    /** The metric {@code name} of this node, or {@code null} if not yet discovered. */
    public Series metric(final String name) {
        return metrics.get(name);
    }

    /** Adds every series of this subtree to {@code out}. */
    public void collectSeries(final Collection<Series> out) {
        out.addAll(metrics.values());
        for (final SeriesNode child : children.values()) {
            child.collectSeries(out);
        }
    }

    SeriesNode child(final String level, final String id) {
        // A root's children are the tenants: each numbers its own series.
        return children.computeIfAbsent(level + "/" + id, k -> new SeriesNode(path.isEmpty() ? k : path + "/" + k,
                level, id, internal, path.isEmpty() ? null : tenant));
    }

    /** The next number of a series in this node's tenant: 0, 1, 2, … per tenant, so it says nothing of others. */
    int nextAlias() {
        return tenant.aliases.getAndIncrement();
    }

    Series metric(final String name, final SeriesCatalog.Factory factory) {
        return metrics.computeIfAbsent(name, n -> factory.create(this, n));
    }
}
