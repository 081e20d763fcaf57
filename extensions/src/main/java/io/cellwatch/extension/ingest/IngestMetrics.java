package io.cellwatch.extension.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.cellwatch.contract.RejectReason;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of the ingest path, registered in the broker's metric registry so {@code /metrics} exports them beside
 * HiveMQ's own (e.g. {@code cellwatch_ingest_rejected_bad_json}). Thread-safe.
 */
public final class IngestMetrics {

    /** Prefix of every cellwatch ingest metric. */
    public static final String PREFIX = "cellwatch.ingest.";

    private final Counter publishesAccepted;
    private final Counter samplesAccepted;
    private final Counter tsReplaced;
    private final Counter duplicates;
    private final Counter retainedCleared;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    public IngestMetrics(final MetricRegistry registry) {
        publishesAccepted = registry.counter(PREFIX + "publishes.accepted");
        samplesAccepted = registry.counter(PREFIX + "samples.accepted");
        tsReplaced = registry.counter(PREFIX + "ts.replaced");
        duplicates = registry.counter(PREFIX + "duplicates.dropped");
        retainedCleared = registry.counter(PREFIX + "retained.cleared");
        for (final RejectReason reason : RejectReason.values()) {
            rejected.put(reason, registry.counter(PREFIX + "rejected." + reason.metricName()));
        }
    }

    void accepted(final int samples) {
        publishesAccepted.inc();
        samplesAccepted.inc(samples);
    }

    void tsReplaced() {
        tsReplaced.inc();
    }

    void duplicate() {
        duplicates.inc();
    }

    void retainedCleared() {
        retainedCleared.inc();
    }

    /** Publishes dropped as gateway retries of a (gateway, seq) already accepted. */
    public long duplicatesDropped() {
        return duplicates.getCount();
    }

    void rejected(final RejectReason reason) {
        rejected.get(reason).inc();
    }

    /** Publishes refused for {@code reason} since start. */
    public long rejectedCount(final RejectReason reason) {
        return rejected.get(reason).getCount();
    }

    /** Samples accepted since start. */
    public long samplesAccepted() {
        return samplesAccepted.getCount();
    }

    /** Publishes whose device time was missing or implausible and replaced by server time. */
    public long tsReplacedCount() {
        return tsReplaced.getCount();
    }
}
