package io.cellwatch.extension.ingest;

import io.cellwatch.contract.RejectReason;
import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Metrics of the ingest path ({@code cellwatch_ingest_…} on {@code /metrics}). Thread-safe. */
public final class IngestMetrics {

    private final Counter publishesAccepted;
    private final Counter samplesAccepted;
    private final Counter tsReplaced;
    private final Counter duplicates;
    private final Counter retainedCleared;
    private final Map<RejectReason, CounterDataPoint> rejected = new EnumMap<>(RejectReason.class);
    private final Histogram walAppend;
    private final Map<String, CounterDataPoint> healthReports = new HashMap<>();

    public IngestMetrics(final Metrics metrics) {
        publishesAccepted = metrics.counter("cellwatch_ingest_publishes_accepted_total",
                "Telemetry publishes accepted (written to the WAL)");
        samplesAccepted = metrics.counter("cellwatch_ingest_samples_accepted_total",
                "Samples accepted; a node publish carries several");
        tsReplaced = metrics.counter("cellwatch_ingest_ts_replaced_total",
                "Publishes whose device time was missing or implausible and replaced by server time");
        duplicates = metrics.counter("cellwatch_ingest_duplicates_dropped_total",
                "Publishes dropped as gateway retries of a (gateway, seq) already accepted");
        retainedCleared = metrics.counter("cellwatch_ingest_retained_cleared_total",
                "Empty retained publishes let through to clear a topic's retained message");
        final Counter rejectedByReason = metrics.counter("cellwatch_ingest_rejected_total",
                "Telemetry publishes refused, by reason (docs/api.md lists the reasons and reason codes)", "reason");
        for (final RejectReason reason : RejectReason.values()) {
            rejected.put(reason, rejectedByReason.labelValues(reason.metricName()));
        }
        final Counter health = metrics.counter("cellwatch_gateway_health_reports_total",
                "Gateway health reports (…/gateways/{clientId}/status/health), by outcome: accepted, or refused as"
                        + " foreign_client_id, oversize or bad_json", "outcome");
        for (final String outcome : HEALTH_OUTCOMES) {
            healthReports.put(outcome, health.labelValues(outcome));
        }
        walAppend = metrics.seconds("cellwatch_ingest_wal_append_seconds",
                "Hop 1: from a publish entering the interceptor until its record is appended to the WAL");
    }

    /** The outcomes of a gateway health report, as labelled on {@code cellwatch_gateway_health_reports_total}. */
    static final List<String> HEALTH_OUTCOMES = List.of("accepted", "foreign_client_id",
            "oversize", "bad_json");

    /** Counts a health report's {@code outcome}, one of {@link #HEALTH_OUTCOMES}. */
    void healthReport(final String outcome) {
        healthReports.get(outcome).inc();
    }

    void accepted(final int samples) {
        publishesAccepted.inc();
        samplesAccepted.inc(samples);
    }

    void appended(final long startNanos, final long endNanos) {
        walAppend.observe(Metrics.seconds(startNanos, endNanos));
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
        return (long) duplicates.get();
    }

    void rejected(final RejectReason reason) {
        rejected.get(reason).inc();
    }

    /** Publishes refused for {@code reason} since start. */
    public long rejectedCount(final RejectReason reason) {
        return (long) rejected.get(reason).get();
    }

    /** Samples accepted since start. */
    public long samplesAccepted() {
        return (long) samplesAccepted.get();
    }

    /** Publishes whose device time was missing or implausible and replaced by server time. */
    public long tsReplacedCount() {
        return (long) tsReplaced.get();
    }
}
