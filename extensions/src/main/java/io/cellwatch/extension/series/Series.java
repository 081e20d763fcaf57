package io.cellwatch.extension.series;

/**
 * One discovered time series: a metric of a node, e.g. {@code tenants/acme/plants/p1/…/cells/7/voltage}.
 * <p>
 * Identity is the key; the id is a compact handle for storage, the alias a compact name within its tenant for live
 * deltas. The latest sample is updated by the publish path and read by the API; it never moves back in device time.
 * Thread-safe.
 */
public final class Series {

    private final int id;
    private final int alias;
    private final String key;
    private final SeriesNode node;
    private final String metric;
    private volatile Sample latest;
    // Live fan-out thread only: whether a delta frame has named this series by its alias yet.
    private boolean announced;

    Series(final int id, final SeriesNode node, final String metric) {
        this.id = id;
        this.alias = node.nextAlias();
        this.node = node;
        this.metric = metric;
        this.key = node.path() + "/" + metric;
    }

    public int id() {
        return id;
    }

    /**
     * The series' number within its tenant (0, 1, 2, … in order of discovery since start-up): live delta frames name
     * a series by it once the frame that announced it, or a snapshot, gave its key. Numbered per tenant, so a tenant
     * learns nothing of another's series from it.
     */
    public int alias() {
        return alias;
    }

    /** Whether a delta frame has announced this series' alias with its key; the live fan-out's thread only. */
    public boolean announced() {
        return announced;
    }

    /** Notes that a delta frame announced this series' alias; the live fan-out's thread only. */
    public void markAnnounced() {
        announced = true;
    }

    /** The full topic of the series, e.g. {@code tenants/acme/plants/p1/racks/r1/packs/k1/cells/7/voltage}. */
    public String key() {
        return key;
    }

    public SeriesNode node() {
        return node;
    }

    public String metric() {
        return metric;
    }

    /** The newest sample by device time, or {@code null} before the first. */
    public Sample latest() {
        return latest;
    }

    /**
     * Offers a sample as the latest; an older one (a gateway replaying its buffer) does not replace a newer one.
     *
     * @return whether the latest value changed
     */
    public boolean offer(final Sample sample) {
        // Races between two publishers of one series are benign: each keeps a value some publisher sent.
        final Sample current = latest;
        if (current != null && current.ts() > sample.ts()) {
            return false;
        }
        latest = sample;
        return true;
    }

    /** True if this series lies in the subtree at {@code path} (a node path or this series' key; empty = all). */
    public boolean isUnder(final String path) {
        return path.isEmpty() || key.equals(path) || (key.startsWith(path) && key.charAt(path.length()) == '/');
    }

    @Override
    public String toString() {
        return key;
    }
}
