package io.cellwatch.extension.alerts;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import java.util.function.IntSupplier;

/** The alert metrics in {@code /metrics} ({@code cellwatch_alerts_*}). Thread-safe. */
public final class AlertMetrics {

    private final MetricRegistry registry;
    private final Counter evaluated;
    private final Counter dropped;
    private final Counter reloadsRejected;
    private final Counter webhookDelivered;
    private final Counter webhookFailedAttempts;
    private final Counter webhookGivenUp;
    private volatile int rules;

    public AlertMetrics(final MetricRegistry registry) {
        this.registry = registry;
        this.evaluated = registry.counter("cellwatch.alerts.samples.evaluated");
        this.dropped = registry.counter("cellwatch.alerts.samples.dropped");
        this.reloadsRejected = registry.counter("cellwatch.alerts.rules.reloads.rejected");
        this.webhookDelivered = registry.counter("cellwatch.alerts.webhook.delivered");
        this.webhookFailedAttempts = registry.counter("cellwatch.alerts.webhook.failed.attempts");
        this.webhookGivenUp = registry.counter("cellwatch.alerts.webhook.given.up");
        registry.gauge("cellwatch.alerts.rules", () -> () -> rules);
    }

    void queued(final IntSupplier depth) {
        registry.gauge("cellwatch.alerts.queue.depth", () -> depth::getAsInt);
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
