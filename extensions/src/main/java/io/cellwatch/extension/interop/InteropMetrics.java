package io.cellwatch.extension.interop;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/** Counters of mapped foreign publishes ({@code cellwatch_mapping_*} on {@code /metrics}). Thread-safe. */
public final class InteropMetrics {

    private final Counter mapped;
    private final Counter rejected;
    private final Counter notAuthorized;
    private final Counter tsReplaced;

    public InteropMetrics(final MetricRegistry registry) {
        mapped = registry.counter("cellwatch.mapping.publishes.mapped");
        rejected = registry.counter("cellwatch.mapping.publishes.rejected");
        notAuthorized = registry.counter("cellwatch.mapping.publishes.not-authorized");
        tsReplaced = registry.counter("cellwatch.mapping.ts.replaced");
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
        return mapped.getCount();
    }

    /** Mapped publishes whose device time was missing or implausible. */
    public long tsReplacedCount() {
        return tsReplaced.getCount();
    }
}
