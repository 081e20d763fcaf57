package io.cellwatch.extension.analytics;

import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishHandOff;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.metrics.Metrics;
import io.cellwatch.extension.series.Series;
import io.prometheus.metrics.core.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs the battery estimators on the {@code cellwatch-analytics} thread, incrementally, like the alert engine: each
 * accepted publish is handed over from the publish path (one lock-free {@link PublishHandOff} offer; a full hand-off
 * drops the publish for analytics only, counted), every sample is routed by its series' role ({@link SeriesRole}) to
 * its pack's estimators, and every {@value #REPORT_MILLIS} ms the packs that changed publish a fresh immutable
 * {@link PackReport} for readers on any thread. Bounded: at most {@code maxPacks} packs and {@code maxCellsPerPack}
 * cells each. Thread-safe; start and close are idempotent.
 */
public final class AnalyticsEngine implements PublishSink, AutoCloseable {

    static final long REPORT_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(AnalyticsEngine.class);

    private final Clock clock;
    private final EstimatorSettings settings;
    private final int maxPacks;
    private final int maxCellsPerPack;
    private final PublishHandOff publishes;
    private final Map<String, PackReport> reports = new ConcurrentHashMap<>();
    // Reports stored before a restart, of packs without a fresh one yet (removed when it comes).
    private final Map<String, PackReport> stored = new ConcurrentHashMap<>();
    private final Counter samples;
    private final Counter dropped;
    private final Counter packsRefused;
    // Analytics thread only.
    private final Map<Series, SeriesRole> roles = new HashMap<>();
    private final Map<String, PackAnalytics> packs = new HashMap<>();
    private final List<Consumer<List<PackReport>>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param capacity publishes waiting for the analytics thread before new ones are dropped for analytics
     */
    public AnalyticsEngine(final Clock clock, final EstimatorSettings settings, final Metrics metrics,
                           final int capacity, final int maxPacks, final int maxCellsPerPack) {
        this.clock = clock;
        this.settings = settings;
        this.maxPacks = maxPacks;
        this.maxCellsPerPack = maxCellsPerPack;
        this.publishes = new PublishHandOff(capacity);
        this.samples = metrics.counter("cellwatch_analytics_samples_total",
                "Samples the analytics thread routed to a pack's estimators");
        this.dropped = metrics.counter("cellwatch_analytics_publishes_dropped_total",
                "Publishes not analysed because the analytics queue was full (storage, live and alerts unaffected)");
        this.packsRefused = metrics.counter("cellwatch_analytics_packs_refused_total",
                "Samples of packs past analytics' pack limit, not analysed");
        metrics.gauge("cellwatch_analytics_packs", "Packs the estimators follow", () -> reports.size());
        metrics.gauge("cellwatch_analytics_queue_depth", "Publishes waiting for the analytics thread",
                () -> publishes.size());
    }

    /** Adds a listener told of each round of fresh reports (the packs that changed), on the analytics thread. */
    public void onReports(final Consumer<List<PackReport>> listener) {
        listeners.add(listener);
    }

    /** Starts the analytics thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "cellwatch-analytics");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(final IngestedPublish publish) {
        if (!publishes.offer(publish)) {
            dropped.inc();
        }
    }

    /** Samples routed to a pack's estimators so far (any thread). */
    public long samplesAnalysed() {
        return (long) samples.get();
    }

    /** The latest report of {@code pack} (any thread). */
    public Optional<PackReport> report(final String pack) {
        return Optional.ofNullable(reports.get(pack));
    }

    /**
     * Answers {@code restored} (each pack's last report stored before a restart) through {@link #stored} and
     * {@link #reports(Predicate)} until the estimators have a fresh report of the pack. Call before {@link #start}.
     */
    public void restore(final List<PackReport> restored) {
        for (final PackReport report : restored) {
            stored.put(report.pack(), report);
        }
    }

    /** The report of {@code pack} stored before a restart, while the estimators have no fresh one (any thread). */
    public Optional<PackReport> stored(final String pack) {
        return reports.containsKey(pack) ? Optional.empty() : Optional.ofNullable(stored.get(pack));
    }

    /**
     * The latest report of every pack whose path {@code visible} accepts (any thread), in no order: the fresh one, or
     * the one stored before a restart while there is no fresh one.
     */
    public List<PackReport> reports(final Predicate<String> visible) {
        final List<PackReport> out = new ArrayList<>();
        for (final PackReport report : reports.values()) {
            if (visible.test(report.pack())) {
                out.add(report);
            }
        }
        for (final PackReport report : stored.values()) {
            if (visible.test(report.pack()) && !reports.containsKey(report.pack())) {
                out.add(report);
            }
        }
        return out;
    }

    private void loop() {
        final List<IngestedPublish> batch = new ArrayList<>(1024);
        long nextReport = clock.millis() + REPORT_MILLIS;
        while (running) {
            try {
                publishes.drainTo(batch, 1024, REPORT_MILLIS / 4, TimeUnit.MILLISECONDS);
                try {
                    for (final IngestedPublish publish : batch) {
                        analyse(publish);
                    }
                } finally {
                    batch.clear();
                }
                final long now = clock.millis();
                if (now >= nextReport) {
                    publishReports(now);
                    nextReport = now + REPORT_MILLIS;
                }
            } catch (final InterruptedException e) {
                return;
            } catch (final RuntimeException e) {
                log.error("analytics failed on a publish; carrying on with the next", e);
            }
        }
    }

    private void analyse(final IngestedPublish publish) {
        int taken = 0;
        for (int i = 0; i < publish.size(); i++) {
            final SeriesRole role = roles.computeIfAbsent(publish.series()[i], SeriesRole::of);
            if (role.kind() == SeriesRole.Kind.NONE) {
                continue;
            }
            PackAnalytics pack = packs.get(role.pack());
            if (pack == null) {
                if (packs.size() >= maxPacks) {
                    packsRefused.inc();
                    continue;
                }
                pack = new PackAnalytics(role.pack(), settings, maxCellsPerPack);
                packs.put(role.pack(), pack);
            }
            pack.take(role, publish.ts(), publish.values()[i]);
            taken++;
        }
        samples.inc(taken);
    }

    private void publishReports(final long now) {
        final List<PackReport> fresh = new ArrayList<>();
        packs.forEach((path, pack) -> {
            if (pack.changed()) {
                final PackReport report = pack.report(now);
                reports.put(path, report);
                stored.remove(path);
                fresh.add(report);
            }
        });
        if (fresh.isEmpty()) {
            return;
        }
        final List<PackReport> round = List.copyOf(fresh);
        for (final Consumer<List<PackReport>> listener : listeners) {
            try {
                listener.accept(round);
            } catch (final RuntimeException e) {
                log.error("an analytics report listener failed", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
