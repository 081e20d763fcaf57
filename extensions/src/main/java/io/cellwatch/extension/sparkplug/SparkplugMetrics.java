package io.cellwatch.extension.sparkplug;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

/** Counters of the Sparkplug B host ({@code cellwatch_sparkplug_*} on {@code /metrics}). Thread-safe. */
public final class SparkplugMetrics {

    private final Counter messages;
    private final Counter gaps;
    private final Counter rebirths;
    private final Counter undecodable;
    private final Counter staleDeaths;
    private final Counter dropped;

    public SparkplugMetrics(final MetricRegistry registry) {
        messages = registry.counter("cellwatch.sparkplug.messages");
        gaps = registry.counter("cellwatch.sparkplug.sequence-gaps");
        rebirths = registry.counter("cellwatch.sparkplug.rebirths-requested");
        undecodable = registry.counter("cellwatch.sparkplug.undecodable");
        staleDeaths = registry.counter("cellwatch.sparkplug.stale-deaths");
        dropped = registry.counter("cellwatch.sparkplug.dropped-queue-full");
    }

    void message() {
        messages.inc();
    }

    void gap() {
        gaps.inc();
    }

    void rebirthRequested() {
        rebirths.inc();
    }

    void undecodable() {
        undecodable.inc();
    }

    void staleDeath() {
        staleDeaths.inc();
    }

    void dropped() {
        dropped.inc();
    }

    /** Messages handled since start. */
    public long messageCount() {
        return messages.getCount();
    }

    /** Sequence gaps seen since start. */
    public long gapCount() {
        return gaps.getCount();
    }
}
