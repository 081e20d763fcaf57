package io.cellwatch.files;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls what an admin edits (files' times and content, as a snapshot value) on one daemon thread and hands a change
 * over once it has stayed the same for one poll, so an editor that truncates and then writes is not caught halfway.
 * Each changed snapshot is handed over once, whether or not its consumer could use it. Used by the watchers of the
 * access files, the mapping rules and the alert rules. Thread-safe; {@link #close()} is idempotent.
 *
 * @param <S> a snapshot with value equality (a record); the snapshot function returns {@code null} when it cannot
 *            read this time, and that poll is skipped
 */
public final class StableChangePoller<S> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StableChangePoller.class);

    private final Duration interval;
    private final Supplier<S> snapshot;
    private final Consumer<S> changed;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * A poller that runs once {@link #start()} is called.
     *
     * @param interval time between polls
     * @param loaded   the snapshot already loaded by the caller: nothing is handed over until the files differ
     * @param snapshot reads the current snapshot, or {@code null} to skip this poll
     * @param changed  takes a changed, stable snapshot; runs on the polling thread and delays the next poll
     */
    public StableChangePoller(String threadName, Duration interval, S loaded, Supplier<S> snapshot,
                              Consumer<S> changed) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, was " + interval);
        }
        Objects.requireNonNull(loaded, "loaded");
        this.interval = interval;
        this.snapshot = snapshot;
        this.changed = changed;
        this.thread = new Thread(() -> loop(loaded), threadName);
        this.thread.setDaemon(true);
    }

    /** Starts polling. */
    public void start() {
        thread.start();
    }

    private void loop(S loaded) {
        S attempted = loaded;
        S previousPoll = loaded;
        while (!closed) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                S now = snapshot.get();
                if (now == null) {
                    continue;
                }
                boolean stable = now.equals(previousPoll);
                previousPoll = now;
                if (stable && !now.equals(attempted)) {
                    attempted = now;
                    changed.accept(now);
                }
            } catch (RuntimeException e) {
                LOG.error("{}: poll failed; retrying at the next poll", thread.getName(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(interval.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
