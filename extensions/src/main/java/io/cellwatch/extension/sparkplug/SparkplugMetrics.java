package io.cellwatch.extension.sparkplug;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;

/** Counters of the Sparkplug B host ({@code cellwatch_sparkplug_*} on {@code /metrics}). Thread-safe. */
public final class SparkplugMetrics {

    private final Counter messages;
    private final Counter gaps;
    private final Counter rebirths;
    private final Counter undecodable;
    private final Counter staleDeaths;
    private final Counter dropped;

    public SparkplugMetrics(final Metrics registry) {
        messages = registry.counter("cellwatch_sparkplug_messages_total",
                "Sparkplug B messages handled");
        gaps = registry.counter("cellwatch_sparkplug_sequence_gaps_total",
                "Sparkplug B sequence gaps seen (each asks for a rebirth)");
        rebirths = registry.counter("cellwatch_sparkplug_rebirths_requested_total",
                "Rebirth requests (NCMD) the broker published");
        undecodable = registry.counter("cellwatch_sparkplug_undecodable_total",
                "Sparkplug B payloads that could not be decoded");
        staleDeaths = registry.counter("cellwatch_sparkplug_stale_deaths_total",
                "Death certificates ignored because their bdSeq did not match the birth");
        dropped = registry.counter("cellwatch_sparkplug_dropped_queue_full_total",
                "Sparkplug B messages dropped because the decode queue was full");
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
        return (long) messages.get();
    }

    /** Sequence gaps seen since start. */
    public long gapCount() {
        return (long) gaps.get();
    }
}
