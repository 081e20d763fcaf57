package io.cellwatch.extension.alerts;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Counter;

import java.util.function.IntSupplier;

/** The alert metrics in {@code /metrics} ({@code cellwatch_alerts_*}). Thread-safe. */
public final class AlertMetrics {

    private final Metrics registry;
    private final Counter evaluated;
    private final Counter dropped;
    private final Counter reloadsRejected;
    private final Counter webhookDelivered;
    private final Counter webhookFailedAttempts;
    private final Counter webhookGivenUp;
    private volatile int rules;

    public AlertMetrics(final Metrics registry) {
        this.registry = registry;
        this.evaluated = registry.counter("cellwatch_alerts_samples_evaluated_total",
                "Samples the alert thread judged against the loaded rules");
        this.dropped = registry.counter("cellwatch_alerts_samples_dropped_total",
                "Publishes not judged for alerts because the alert queue was full (storage and live are unaffected)");
        this.reloadsRejected = registry.counter("cellwatch_alerts_rules_reloads_rejected_total",
                "Edits of the alert rules file refused as invalid (the last good rules stay loaded)");
        this.webhookDelivered = registry.counter("cellwatch_alerts_webhook_delivered_total",
                "Alert events a tenant's webhook acknowledged with a 2xx answer");
        this.webhookFailedAttempts = registry.counter("cellwatch_alerts_webhook_failed_attempts_total",
                "Webhook attempts that failed (refused, error status or timeout); each is retried with backoff");
        this.webhookGivenUp = registry.counter("cellwatch_alerts_webhook_given_up_total",
                "Alert events dropped after every webhook attempt failed");
        registry.gauge("cellwatch_alerts_rules", "Alert rules loaded, over every tenant", () -> rules);
    }

    void queued(final IntSupplier depth) {
        registry.gauge("cellwatch_alerts_queue_depth", "Publishes waiting for the alert thread",
                () -> depth.getAsInt());
    }

    /** Samples judged so far. */
    long evaluatedCount() {
        return (long) evaluated.get();
    }

    /** Publishes skipped for alerting so far. */
    long droppedCount() {
        return (long) dropped.get();
    }

    /** Rules loaded now. */
    int rulesCount() {
        return rules;
    }

    void evaluated(final int samples) {
        evaluated.inc(samples);
    }

    void dropped() {
        dropped.inc();
    }

    void rules(final int count) {
        rules = count;
    }

    void reloadRejected() {
        reloadsRejected.inc();
    }

    void webhookDelivered() {
        webhookDelivered.inc();
    }

    void webhookFailedAttempt() {
        webhookFailedAttempts.inc();
    }

    void webhookGivenUp() {
        webhookGivenUp.inc();
    }
}
