package io.cellwatch.extension.probe;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

import java.util.function.DoubleSupplier;

/** The synthetic probe's metrics ({@code cellwatch_probe_…} on {@code /metrics}). Thread-safe. */
final class ProbeMetrics {

    /** Where a probe got lost: the label value of {@code cellwatch_probe_lost_total}. */
    enum Hop {
        /** Not connected, or the broker did not acknowledge the publish in time. */
        PUBLISH,
        /** Acknowledged, but the live fan-out did not deliver it in time. */
        LIVE,
        /** Not committed to DuckDB in time. */
        HISTORY;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Counter sent;
    private final CounterDataPoint[] lost = new CounterDataPoint[Hop.values().length];
    private final Histogram live;
    private final Histogram history;

    ProbeMetrics(final Metrics metrics, final DoubleSupplier lastSuccessAgeSeconds) {
        sent = metrics.counter("cellwatch_probe_sent_total",
                "Synthetic probe samples published through the broker on the internal probe topic");
        final Counter lostCounter = metrics.counter("cellwatch_probe_lost_total",
                "Synthetic probe samples that did not make a hop in time, by hop: publish (not connected or not"
                        + " acknowledged), live (not delivered by the live fan-out), history (not committed to DuckDB)",
                "hop");
        for (final Hop hop : Hop.values()) {
            lost[hop.ordinal()] = lostCounter.labelValues(hop.label());
        }
        live = metrics.seconds("cellwatch_probe_live_seconds",
                "Synthetic probe: from publishing a sample over MQTT until the live fan-out delivers it");
        history = metrics.seconds("cellwatch_probe_history_seconds",
                "Synthetic probe: from publishing a sample over MQTT until it is committed to DuckDB");
        metrics.gauge("cellwatch_probe_last_success_age_seconds",
                "Seconds since a synthetic probe sample last made every hop (since the probe started, before the first)",
                lastSuccessAgeSeconds);
    }

    void sent() {
        sent.inc();
    }

    void lost(final Hop hop) {
        lost[hop.ordinal()].inc();
    }

    void live(final double seconds) {
        live.observe(seconds);
    }

    void history(final double seconds) {
        history.observe(seconds);
    }
}
