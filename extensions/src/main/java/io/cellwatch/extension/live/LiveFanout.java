package io.cellwatch.extension.live;

import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishSink;
import io.cellwatch.extension.series.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the latest value of every series and coalesces changes into one tick per flush interval for every live
 * subscriber.
 * <p>
 * The publish path only updates the series and marks it changed (a set insert); the fan-out thread drains the marks
 * each tick and hands them to the subscribers, so fan-out cost never lands on a broker thread and a series that
 * changes 100 times between ticks is sent once, with its newest value. Thread-safe; start and close are idempotent.
 */
public final class LiveFanout implements PublishSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFanout.class);

    private final Set<Series> changed = ConcurrentHashMap.newKeySet();
    private final List<LiveSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final long flushMillis;
    private ScheduledExecutorService ticker;

    public LiveFanout(final long flushMillis) {
        this.flushMillis = flushMillis;
    }

    /** Starts the fan-out thread. */
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "cellwatch-live-fanout");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void accept(final IngestedPublish publish) {
        // Nobody watching: skip the set insert; a new subscriber starts from a snapshot anyway.
        final boolean watched = !subscribers.isEmpty();
        for (int i = 0; i < publish.size(); i++) {
            final Series series = publish.series()[i];
            if (series.offer(publish.sample(i)) && watched) {
                changed.add(series);
            }
        }
    }

    public void subscribe(final LiveSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(final LiveSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Number of live subscribers. */
    public int subscriberCount() {
        return subscribers.size();
    }

    private void tick() {
        final List<Series> batch = new ArrayList<>();
        for (final Iterator<Series> it = changed.iterator(); it.hasNext(); ) {
            batch.add(it.next());
            it.remove();
        }
        for (final LiveSubscriber subscriber : subscribers) {
            try {
                subscriber.onTick(batch);
            } catch (final RuntimeException e) {
                // One broken subscriber must not starve the others.
                log.warn("live subscriber failed; dropping it", e);
                subscribers.remove(subscriber);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        subscribers.clear();
    }
}
