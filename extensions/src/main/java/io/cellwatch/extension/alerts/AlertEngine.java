package io.cellwatch.extension.alerts;

import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishHandOff;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.series.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the alert rules on the {@code cellwatch-alerts} thread, incrementally: each accepted publish is handed
 * over from the publish path (one lock-free {@link PublishHandOff} offer, nothing when no rule is loaded), and every
 * sample is judged by the rules whose pattern matches its series (matched once per series and rules version). Every
 * {@value #TICK_MILLIS} ms the thread also judges silence (stale rules), running holds and re-raise times. Time comes
 * from the injected clock. A full hand-off drops the publish for alerting only (counted); storage and live views are
 * not affected. Thread-safe; start and close are idempotent.
 */
public final class AlertEngine implements PublishSink, AutoCloseable {

    static final long TICK_MILLIS = 250;
    private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);
    private static final IngestedPublish WAKE = new IngestedPublish(null, -1, 0, 0, new Series[0], new double[0]);
    private static final RuleRuntime.Binding[] NO_RULES = new RuleRuntime.Binding[0];

    private final Clock clock;
    private final AlertBook book;
    private final AlertMetrics metrics;
    private final PublishHandOff publishes;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    // Alert thread only.
    private final Map<String, List<RuleRuntime>> byTenant = new HashMap<>();
    private final Map<String, RuleRuntime> byName = new LinkedHashMap<>();
    private final Map<Series, RuleRuntime.Binding[]> matches = new HashMap<>();
    private volatile boolean armed;
    private volatile boolean running;
    private Thread thread;

    /** @param capacity publishes waiting for evaluation before new ones are dropped for alerting */
    public AlertEngine(final Clock clock, final AlertBook book, final AlertMetrics metrics, final int capacity) {
        this.clock = clock;
        this.book = book;
        this.metrics = metrics;
        this.publishes = new PublishHandOff(capacity);
        metrics.queued(publishes::size);
    }

    /** Starts the alert thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "cellwatch-alerts");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(final IngestedPublish publish) {
        if (armed && !publishes.offer(publish)) {
            metrics.dropped();
        }
    }

    /** Runs {@code command} on the alert thread, before the next publish it takes. */
    public void execute(final Runnable command) {
        commands.add(command);
        publishes.offer(WAKE);
    }

    /** Puts {@code rules} in force (from any thread): unchanged rules keep their state, removed ones clear. */
    public void apply(final AlertRules rules) {
        execute(() -> swap(rules));
    }

    private void swap(final AlertRules rules) {
        final long now = clock.millis();
        final Map<String, RuleRuntime> kept = new LinkedHashMap<>();
        byTenant.clear();
        for (final TenantAlerts tenant : rules.tenants().values()) {
            final List<RuleRuntime> runtimes = new ArrayList<>();
            for (final AlertRule rule : tenant.rules()) {
                final String key = rule.tenant() + "/" + rule.name();
                RuleRuntime runtime = byName.remove(key);
                if (runtime != null && runtime.rule().definition().equals(rule.definition())) {
                    runtime.rebind(rule);
                } else {
                    if (runtime != null) {
                        runtime.retire(now, book);
                    }
                    runtime = new RuleRuntime(rule);
                }
                kept.put(key, runtime);
                runtimes.add(runtime);
            }
            byTenant.put(tenant.tenant(), runtimes);
        }
        for (final RuleRuntime removed : byName.values()) {
            removed.retire(now, book);
        }
        byName.clear();
        byName.putAll(kept);
        matches.clear();
        armed = !byName.isEmpty();
        metrics.rules(byName.size());
    }

    private void loop() {
        final List<IngestedPublish> batch = new ArrayList<>(1024);
        long nextTick = clock.millis() + TICK_MILLIS;
        while (running) {
            try {
                publishes.drainTo(batch, 1024, TICK_MILLIS, TimeUnit.MILLISECONDS);
                runCommands();
                try {
                    for (final IngestedPublish publish : batch) {
                        evaluate(publish);
                    }
                } finally {
                    batch.clear();
                }
                final long now = clock.millis();
                if (now >= nextTick) {
                    for (final RuleRuntime runtime : byName.values()) {
                        runtime.tick(now, book);
                    }
                    nextTick = now + TICK_MILLIS;
                }
            } catch (final InterruptedException e) {
                return;
            } catch (final RuntimeException e) {
                log.error("alert evaluation failed; carrying on with the next publish", e);
            }
        }
    }

    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            try {
                command.run();
            } catch (final RuntimeException e) {
                log.warn("alert command failed", e);
            }
        }
    }

    private void evaluate(final IngestedPublish publish) {
        if (publish == WAKE) {
            return;
        }
        final long now = clock.millis();
        final int n = publish.size();
        for (int i = 0; i < n; i++) {
            final Series series = publish.series()[i];
            RuleRuntime.Binding[] rules = matches.get(series);
            if (rules == null) {
                rules = match(series);
                matches.put(series, rules);
            }
            final double value = publish.values()[i];
            for (final RuleRuntime.Binding rule : rules) {
                rule.sample(value, publish.ts(), now, book);
            }
        }
        metrics.evaluated(n);
    }

    /** Judges the analytics rules on the packs' latest reports (any thread; done on the alert thread). */
    public void analytics(final List<PackReport> reports) {
        execute(() -> {
            final long now = clock.millis();
            for (final PackReport report : reports) {
                final List<RuleRuntime> tenant = byTenant.get(report.tenant());
                if (tenant == null) {
                    continue;
                }
                final String[] key = report.pack().split("/");
                for (final RuleRuntime runtime : tenant) {
                    if (runtime.rule().kind().analytics() && runtime.rule().pattern().matches(key)) {
                        runtime.analytics(report, now, book);
                    }
                }
            }
        });
    }

    private RuleRuntime.Binding[] match(final Series series) {
        final String[] key = series.key().split("/");
        final List<RuleRuntime> tenant = byTenant.get(key[1]);
        if (tenant == null) {
            return NO_RULES;
        }
        final List<RuleRuntime.Binding> found = new ArrayList<>();
        for (final RuleRuntime runtime : tenant) {
            if (!runtime.rule().kind().analytics() && runtime.rule().pattern().matches(key)) {
                found.add(runtime.bind(series));
            }
        }
        return found.isEmpty() ? NO_RULES : found.toArray(NO_RULES);
    }

    @Override
    public void close() {
        final Thread t;
        synchronized (this) {
            t = thread;
            running = false;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
