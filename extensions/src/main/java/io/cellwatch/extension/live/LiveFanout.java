package io.cellwatch.extension.live;

import io.cellwatch.extension.config.LiveSettings;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.series.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Keeps the latest value of every series and pushes changes to live subscribers, on one fan-out thread.
 * <p>
 * The publish path only updates the series, marks it changed (a set insert) and wakes the fan-out thread. When the
 * system is idle, a change is flushed at once; under load, delta flushes start at most every
 * {@link LiveSettings#flushMillis()} (the bound on how long a change waits), so what arrives meanwhile is coalesced
 * and the number of frames per client stays bounded whatever the publish rate. A flush drains the marks (a value
 * superseded since the previous flush is sent once, with its newest value), routes each changed series to the
 * watched paths among its ancestors ({@link SubscriptionIndex}), serialises one frame per watched path and hands that
 * same frame to every subscriber of the path, stamped with the arrival of its oldest change (the latency of
 * {@code cellwatch_live_delivery_seconds} runs from there until the socket wrote the frame). Held-back frames of slow clients go out as soon as they have room;
 * stalled clients are checked every tenth of the slow-client bound. Thread-safe; start and close are idempotent.
 */
public final class LiveFanout implements PublishSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFanout.class);

    /** Commands run by one flush at most before its deltas go out. */
    static final int COMMANDS_PER_FLUSH = 256;

    private final LiveSettings settings;
    private final DeltaEncoder encoder;
    private final LiveMetrics metrics;
    private final LongSupplier nanoTime;
    // Changed series → when the first change since the last flush arrived (nanoTime): the age of each frame.
    private final Map<Series, Long> changed = new ConcurrentHashMap<>();
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    // Client commands queued through offer(), not yet run: bounded by LiveSettings.pendingCommands.
    private final AtomicInteger offered = new AtomicInteger();
    private final Set<LiveOutlet> outlets = ConcurrentHashMap.newKeySet();
    private final Set<LiveOutlet> ready = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wake = new AtomicBoolean();
    // Owned by the fan-out thread.
    private final SubscriptionIndex index = new SubscriptionIndex();
    private volatile boolean watched;
    private volatile int subscriberCount;
    private volatile boolean running;
    private volatile Thread thread;
    private long nextStallCheck;

    /**
     * @param encoder  writes delta frames (the wire contract lives with the API)
     * @param nanoTime the monotonic clock for slow-client bounds and frame ages
     */
    public LiveFanout(final LiveSettings settings, final DeltaEncoder encoder,
                      final LiveMetrics metrics, final LongSupplier nanoTime) {
        this.settings = settings;
        this.encoder = encoder;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    /** Starts the fan-out thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        final Thread t = new Thread(this::loop, "cellwatch-live-fanout");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void accept(final IngestedPublish publish) {
        // Nobody watching: skip the set insert; a new subscriber starts from a snapshot anyway. The probe's own
        // series are always marked: its subscriber alone must not put every publish through the set.
        final boolean mark = watched;
        boolean any = false;
        Long now = null;
        for (int i = 0; i < publish.size(); i++) {
            final Series series = publish.series()[i];
            if (series.offer(publish.sample(i)) && (mark || series.node().internal())) {
                if (now == null) {
                    now = nanoTime.getAsLong();
                }
                changed.putIfAbsent(series, now);
                any = true;
            }
        }
        if (any) {
            signal();
        }
    }

    /** A socket's outlet with this fan-out's backpressure bounds; closed as stalled by the fan-out thread. */
    public LiveOutlet outlet(final FrameSocket socket) {
        final LiveOutlet outlet = new LiveOutlet(socket, this);
        outlets.add(outlet);
        return outlet;
    }

    /** Forgets an outlet whose socket is gone. */
    public void discard(final LiveOutlet outlet) {
        outlets.remove(outlet);
        ready.remove(outlet);
    }

    /**
     * Runs {@code command} on the fan-out thread before the next flush. Subscriptions change only there, so a snapshot
     * sent by the command always precedes the deltas that follow it.
     */
    public void execute(final Runnable command) {
        commands.add(command);
        signal();
    }

    /**
     * Queues a client's {@code command} like {@link #execute} unless {@link LiveSettings#pendingCommands} client commands
     * are queued already; then refuses it, so the fan-out never holds more than that whatever the clients send.
     *
     * @return whether it was queued
     */
    public boolean offer(final Runnable command) {
        if (offered.incrementAndGet() > settings.pendingCommands()) {
            offered.decrementAndGet();
            return false;
        }
        execute(() -> {
            offered.decrementAndGet();
            command.run();
        });
        return true;
    }

    /** Registers {@code subscriber} on {@code path}; fan-out thread only (inside {@link #execute}). */
    public void watch(final LiveSubscriber subscriber, final String path) {
        checkThread();
        index.watch(subscriber, path);
        indexChanged();
    }

    /** Removes the registration on {@code path}; fan-out thread only. */
    public void unwatch(final LiveSubscriber subscriber, final String path) {
        checkThread();
        index.unwatch(subscriber, path);
        indexChanged();
    }

    /** Removes every registration of {@code subscriber}; fan-out thread only. */
    public void unwatchAll(final LiveSubscriber subscriber) {
        checkThread();
        index.unwatchAll(subscriber);
        indexChanged();
    }

    /** Whether {@code subscriber} still watches {@code series}; fan-out thread only. */
    public boolean watches(final LiveSubscriber subscriber, final Series series) {
        checkThread();
        return index.watches(subscriber, series);
    }

    /** Number of subscribers watching at least one path. */
    public int subscriberCount() {
        return subscriberCount;
    }

    public LiveMetrics metrics() {
        return metrics;
    }

    LiveSettings settings() {
        return settings;
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    /**
     * Per watched path in {@code frames}, one frame holding each series {@code keep} accepts with its sample from the
     * newest frame that carries it: a slow client's catch-up, joined from bytes already encoded (no series is encoded
     * again). Paths with nothing left are left out.
     */
    List<DeltaFrame> merge(final List<DeltaFrame> frames, final Predicate<Series> keep) {
        final Map<String, List<DeltaFrame>> byPath = new LinkedHashMap<>();
        for (final DeltaFrame frame : frames) {
            byPath.computeIfAbsent(frame.path(), path -> new ArrayList<>()).add(frame);
        }
        final List<DeltaFrame> merged = new ArrayList<>(byPath.size());
        for (final Map.Entry<String, List<DeltaFrame>> path : byPath.entrySet()) {
            final DeltaFrame frame = merge(path.getKey(), path.getValue(), keep);
            if (frame != null) {
                merged.add(frame);
            }
        }
        return merged;
    }

    private DeltaFrame merge(final String path, final List<DeltaFrame> frames, final Predicate<Series> keep) {
        final Map<Series, Integer> at = new HashMap<>();
        final List<DeltaSample> samples = new ArrayList<>();
        long since = Long.MAX_VALUE;
        for (int f = frames.size() - 1; f >= 0; f--) {
            final DeltaFrame frame = frames.get(f);
            since = Math.min(since, frame.since());
            for (int i = frame.samples().size() - 1; i >= 0; i--) {
                final DeltaSample sample = frame.samples().get(i);
                final Integer newer = at.get(sample.series());
                if (newer == null) {
                    if (keep.test(sample.series())) {
                        at.put(sample.series(), samples.size());
                        samples.add(sample);
                    }
                } else if (sample.announce()) {
                    // An older frame announced the alias the client has not seen yet: the catch-up must.
                    samples.set(newer, samples.get(newer).announced());
                }
            }
        }
        if (samples.isEmpty()) {
            return null;
        }
        // Gathered newest first; sent in the order the values last changed.
        Collections.reverse(samples);
        return new DeltaFrame(path, samples, frame(path, samples), since);
    }

    private ByteBuffer frame(final String path, final List<DeltaSample> samples) {
        metrics.framesEncoded.inc();
        return ByteBuffer.wrap(encoder.frame(path, samples)).asReadOnlyBuffer();
    }

    /** An outlet with held changes has room again. */
    void ready(final LiveOutlet outlet) {
        ready.add(outlet);
        signal();
    }

    private void signal() {
        // A plain read first: under load the flag is mostly set already, and broker threads need not fight over it.
        if (!wake.get() && !wake.getAndSet(true)) {
            final Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private void loop() {
        final long boundNanos = TimeUnit.MILLISECONDS.toNanos(settings.flushMillis());
        final long idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, settings.slowClientMillis() / 10));
        long gapNanos = boundNanos;
        long lastDeltaFlush = System.nanoTime() - gapNanos;
        while (running) {
            if (!wake.get()) {
                LockSupport.parkNanos(this, idleNanos);
            }
            if (!changed.isEmpty()) {
                // Idle: flush at once. Busy: the previous delta flush was less than the gap ago, so gather what
                // arrives until then; a change waits at most the gap plus the flush in progress when it came.
                final long due = lastDeltaFlush + gapNanos;
                for (long wait = due - System.nanoTime(); wait > 0 && running; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(this, wait);
                }
                lastDeltaFlush = System.nanoTime();
            }
            wake.set(false);
            if (!running) {
                return;
            }
            try {
                // The frame budget: many clients stretch the gap, so each gets fewer, fuller frames.
                gapNanos = Math.max(boundNanos, flush() * 1_000_000_000L / settings.framesPerSecond());
            } catch (final RuntimeException e) {
                log.error("live flush failed; the next flush carries on", e);
            }
        }
    }

    /**
     * One flush: commands, then one shared frame per watched path that changed, then held frames, then stalls.
     *
     * @return the delta frames handed to subscribers
     */
    long flush() {
        long delivered = 0;
        Runnable command;
        // A bounded share per flush: a queue of commands (each may page a snapshot) never delays the deltas by more
        // than this many; the rest run in the next flush, which starts at once.
        for (int run = 0; run < COMMANDS_PER_FLUSH && (command = commands.poll()) != null; run++) {
            try {
                command.run();
            } catch (final RuntimeException e) {
                log.warn("live subscription command failed", e);
            }
        }
        if (!commands.isEmpty()) {
            signal();
        }
        metrics.flushes.inc();
        if (!changed.isEmpty()) {
            final List<Series> batch = new ArrayList<>();
            final Map<Series, Change> drained = new HashMap<>();
            for (final Iterator<Map.Entry<Series, Long>> it = changed.entrySet().iterator(); it.hasNext(); ) {
                final Map.Entry<Series, Long> change = it.next();
                final Series series = change.getKey();
                batch.add(series);
                // Encoded once here, whatever the number of watched paths it goes to.
                drained.put(series, new Change(encoder.sample(series, !series.announced()), change.getValue()));
                it.remove();
            }
            for (final Map.Entry<String, List<Series>> route : index.route(batch).entrySet()) {
                final List<DeltaSample> samples = new ArrayList<>(route.getValue().size());
                long since = Long.MAX_VALUE;
                for (final Series s : route.getValue()) {
                    final Change change = drained.get(s);
                    if (change.sample() != null) {
                        samples.add(change.sample());
                    }
                    since = Math.min(since, change.since());
                }
                if (samples.isEmpty()) {
                    continue;
                }
                final DeltaFrame frame = new DeltaFrame(route.getKey(), samples, frame(route.getKey(), samples),
                        since);
                for (final LiveSubscriber subscriber : index.watchers(route.getKey())) {
                    try {
                        delivered++;
                        subscriber.deliver(frame);
                    } catch (final RuntimeException e) {
                        // One broken subscriber must not starve the others.
                        log.warn("live subscriber failed; dropping it", e);
                        unwatchAll(subscriber);
                    }
                }
            }
            // Every frame that carried a series has announced it; a later subscriber learns it from its snapshot.
            for (final Series s : batch) {
                if (drained.get(s).sample() != null) {
                    s.markAnnounced();
                }
            }
        }
        if (!ready.isEmpty()) {
            // Those ready now: an outlet that asks again while released (more snapshot pages) waits for the next flush.
            for (final LiveOutlet outlet : new ArrayList<>(ready)) {
                ready.remove(outlet);
                outlet.release();
            }
        }
        final long now = nanoTime.getAsLong();
        if (now - nextStallCheck >= 0) {
            nextStallCheck = now + TimeUnit.MILLISECONDS.toNanos(Math.max(1, settings.slowClientMillis() / 10));
            for (final LiveOutlet outlet : outlets) {
                if (outlet.closeIfStalled(now)) {
                    outlets.remove(outlet);
                }
            }
        }
        return delivered;
    }

    /** A drained change: the series' latest sample, encoded, and when its first change since the last flush came. */
    private record Change(DeltaSample sample, long since) {
    }

    private void indexChanged() {
        watched = index.watchesOutsideInternalTenant();
        subscriberCount = index.subscriberCount();
    }

    private void checkThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("live subscriptions change on the fan-out thread only (use execute)");
        }
    }

    @Override
    public void close() {
        final Thread t;
        synchronized (this) {
            t = thread;
            if (t == null) {
                return;
            }
            running = false;
            thread = null;
        }
        LockSupport.unpark(t);
        try {
            t.join(TimeUnit.SECONDS.toMillis(2));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commands.clear();
        changed.clear();
    }
}
