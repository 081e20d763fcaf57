package io.cellwatch.extension.ingest;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded hand-over of accepted publishes from the publish path to one consumer thread, without a lock: an offer is
 * an atomic increment and a lock-free enqueue, so a publish thread never waits for (or parks behind) the consumer
 * draining a batch, as it would on a lock-based blocking queue. Past {@code capacity} waiting publishes an offer is
 * refused. The consumer polls and, while nothing waits, parks in growing naps (at most {@value #MAX_NAP_MILLIS} ms),
 * so an idle consumer costs next to nothing and a busy one never sleeps. Any number of producers, one consumer.
 */
public final class PublishHandOff {

    private static final long MIN_NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final long MAX_NAP_MILLIS = 20;

    private final ConcurrentLinkedQueue<IngestedPublish> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    public PublishHandOff(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Hands {@code publish} over, or refuses it when {@code capacity} publishes wait (any thread, never blocks). */
    public boolean offer(final IngestedPublish publish) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.offer(publish);
        return true;
    }

    /**
     * Moves up to {@code max} waiting publishes into {@code out}, in the order offered, waiting at most {@code wait}
     * for the first (the consumer thread only).
     *
     * @return how many were moved, 0 if none came in time
     * @throws InterruptedException if the consumer was interrupted while waiting
     */
    public int drainTo(final List<IngestedPublish> out, final int max, final long wait, final TimeUnit unit)
            throws InterruptedException {
        final long deadline = System.nanoTime() + unit.toNanos(wait);
        long nap = MIN_NAP_NANOS;
        while (true) {
            int moved = 0;
            IngestedPublish next;
            while (moved < max && (next = queue.poll()) != null) {
                out.add(next);
                moved++;
            }
            if (moved > 0) {
                size.addAndGet(-moved);
                return moved;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            LockSupport.parkNanos(Math.min(nap, left));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            nap = Math.min(nap * 2, TimeUnit.MILLISECONDS.toNanos(MAX_NAP_MILLIS));
        }
    }

    /** Publishes waiting (any thread). */
    public int size() {
        return size.get();
    }
}
