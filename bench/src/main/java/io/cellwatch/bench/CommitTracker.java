package io.cellwatch.bench;

import io.cellwatch.extension.storage.SampleStore;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches what the history writer has committed, from outside the production code: one thread polls
 * {@link SampleStore#committedIndex()} every millisecond; when it moves, the thread notes the time, reads the
 * {@code seq} (= generator ordinal) of the publish at that WAL index ({@link WalPeek}) and reports every ordinal up
 * to it as committed at that time to the attached {@link LagRecorder}. So a publish's lag is "first poll that saw
 * its index committed − its append", overstated by at most the poll interval (plus scheduling). Thread-safe.
 */
final class CommitTracker implements AutoCloseable {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SampleStore store;
    private final WalPeek peek;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile LagRecorder recorder;
    private volatile long lastAdvanceNanos = System.nanoTime();
    private volatile long committedOrdinal = -1;
    private volatile long advances;
    private volatile RuntimeException failure;

    CommitTracker(final SampleStore store, final WalPeek peek) {
        this.store = store;
        this.peek = peek;
        this.thread = new Thread(this::run, "bench-commit-tracker");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long lastIndex = Long.MIN_VALUE;
        try {
            while (running) {
                final long index = store.committedIndex();
                if (index != lastIndex) {
                    final long now = System.nanoTime();
                    final long seq = peek.seqAt(index);
                    final long before = committedOrdinal;
                    if (seq > before) {
                        final LagRecorder r = recorder;
                        if (r != null) {
                            r.committed(before, seq, now);
                        }
                        lastAdvanceNanos = now;
                        advances++;
                        committedOrdinal = seq;
                    }
                    lastIndex = index;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (final RuntimeException e) {
            failure = e;
        }
    }

    /** Lag of every publish seen committed from now on goes to {@code r} (or nowhere, for {@code null}). */
    void attach(final LagRecorder r) {
        recorder = r;
    }

    /** The ordinal of the newest publish seen committed (every lower one is committed too), or -1. */
    long committedOrdinal() {
        return committedOrdinal;
    }

    /** How often the committed position was seen to move: about the number of batches the writer committed. */
    long advances() {
        return advances;
    }

    /**
     * Waits until publish {@code ordinal} is seen committed.
     *
     * @return the {@link System#nanoTime()} the tracker saw it committed
     * @throws TimeoutException if the committed position did not move for {@code stall}
     */
    long awaitCommitted(final long ordinal, final Duration stall) throws TimeoutException, InterruptedException {
        long seen = committedOrdinal;
        long progressAt = System.nanoTime();
        while (seen < ordinal) {
            if (failure != null) {
                throw new IllegalStateException("commit tracker failed", failure);
            }
            Thread.sleep(1);
            final long now = committedOrdinal;
            if (now != seen) {
                seen = now;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > stall.toNanos()) {
                throw new TimeoutException("history writer committed nothing for " + stall + "; at ordinal " + seen
                        + ", waiting for " + ordinal);
            }
        }
        return lastAdvanceNanos;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
