package io.cellwatch.extension.alerts;

import io.cellwatch.files.InvalidFileException;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishSink;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Alerts as a whole: the rules file (watched), the engine that judges every sample off the broker threads, the
 * lifecycle book, and the webhooks. Listeners added with {@link #onChange} (the retained topic, history, live
 * clients) hear every change on the alert thread, in order. Lifecycle: construct, {@link #onChange}, {@link #start},
 * {@link #close}. Thread-safe.
 */
public final class AlertService implements PublishSink, AutoCloseable {

    private static final int QUEUE_CAPACITY = 65_536;

    private final Clock clock;
    private final AlertMetrics metrics;
    private final AlertBook book = new AlertBook();
    private final AlertEngine engine;
    private final WebhookSender webhooks;
    private AlertRulesWatcher watcher;

    /** @param webhookBackoffMillis the wait before a webhook's first retry (doubled for each next one) */
    public AlertService(final Clock clock, final AlertMetrics metrics, final long webhookBackoffMillis) {
        this.clock = clock;
        this.metrics = metrics;
        this.engine = new AlertEngine(clock, book, metrics, QUEUE_CAPACITY);
        this.webhooks = new WebhookSender(metrics, clock, webhookBackoffMillis);
        book.onChange(alert -> {
            if (alert.state() != AlertState.ACKNOWLEDGED) {
                webhooks.send(alert);
            }
        });
    }

    /** Adds a listener told of every change, on the alert thread; add before {@link #start}. */
    public void onChange(final Consumer<Alert> listener) {
        book.onChange(listener);
    }

    /** Loads the rules file (throwing if it is invalid), starts evaluating and watching it every {@code poll}. */
    public synchronized void start(final Path rulesFile, final Duration poll) throws InvalidFileException {
        if (watcher != null) {
            return;
        }
        watcher = AlertRulesWatcher.start(rulesFile, poll, this::apply, rejected -> metrics.reloadRejected());
        engine.start();
    }

    private void apply(final AlertRules rules) {
        final Map<String, WebhookTarget> targets = new HashMap<>();
        rules.tenants().values().forEach(t -> t.webhook().ifPresent(w -> targets.put(t.tenant(), w)));
        webhooks.targets(targets);
        engine.apply(rules);
    }

    @Override
    public void accept(final IngestedPublish publish) {
        engine.accept(publish);
    }

    /** Every alert {@code filter} accepts, most recent change first (any thread). */
    public List<Alert> alerts(final Predicate<Alert> filter) {
        return book.alerts(filter);
    }

    /** {@code user} acknowledges alert {@code id} of {@code tenant}; completes on the alert thread. */
    public CompletableFuture<Acknowledgement> acknowledge(final String tenant, final String id, final String user) {
        final CompletableFuture<Acknowledgement> done = new CompletableFuture<>();
        engine.execute(() -> done.complete(book.acknowledge(tenant, id, user, clock.millis())));
        return done;
    }

    /** Judges the analytics rules (resistance-outlier, soh-below, spread-trend) on fresh pack reports. */
    public void analytics(final List<PackReport> reports) {
        engine.analytics(reports);
    }

    /** Runs {@code task} on the alert thread after every change already made: a snapshot then sees them all. */
    public void execute(final Runnable task) {
        engine.execute(task);
    }

    /** The state of {@code tenant}'s webhook, if it has one. */
    public Optional<WebhookStatus> webhook(final String tenant) {
        return webhooks.status(tenant);
    }

    /** The rules in force for {@code tenant} (none if it has no block). */
    public List<AlertRule> rules(final String tenant) {
        final AlertRulesWatcher w = watcher;
        return w == null ? List.of() : w.current().tenant(tenant).map(TenantAlerts::rules).orElse(List.of());
    }

    /** The rules in force for every tenant. */
    public AlertRules rules() {
        final AlertRulesWatcher w = watcher;
        return w == null ? AlertRules.none(Path.of("")) : w.current();
    }

    /** Why the rules file's current content was rejected, if it was (the previous rules are in force). */
    public Optional<InvalidFileException> rulesProblem() {
        final AlertRulesWatcher w = watcher;
        return w == null ? Optional.empty() : Optional.ofNullable(w.problem());
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        engine.close();
        webhooks.close();
    }
}
