package io.cellwatch.extension.interop;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;

/** Counters of mapped foreign publishes ({@code cellwatch_mapping_*} on {@code /metrics}). Thread-safe. */
public final class InteropMetrics {

    private final Counter mapped;
    private final Counter rejected;
    private final Counter notAuthorized;
    private final Counter tsReplaced;

    public InteropMetrics(final Metrics registry) {
        mapped = registry.counter("cellwatch_mapping_publishes_mapped_total",
                "Foreign publishes mapped into a tenant's tree");
        rejected = registry.counter("cellwatch_mapping_publishes_rejected_total",
                "Foreign publishes a mapping rule matched but could not map (bad id, no metric, bad payload)");
        notAuthorized = registry.counter("cellwatch_mapping_publishes_not_authorized_total",
                "Mapped publishes refused because the publisher may not write the mapped node");
        tsReplaced = registry.counter("cellwatch_mapping_ts_replaced_total",
                "Mapped publishes whose device time was missing or implausible and replaced by server time");
    }

    void mapped() {
        mapped.inc();
    }

    void rejected() {
        rejected.inc();
    }

    void notAuthorized() {
        notAuthorized.inc();
    }

    void tsReplaced() {
        tsReplaced.inc();
    }

    /** Foreign publishes mapped into the tree since start. */
    public long mappedCount() {
        return (long) mapped.get();
    }

    /** Mapped publishes whose device time was missing or implausible. */
    public long tsReplacedCount() {
        return (long) tsReplaced.get();
    }
}
