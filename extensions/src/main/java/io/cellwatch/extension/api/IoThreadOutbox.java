package io.cellwatch.extension.api;

import org.xnio.XnioIoThread;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs socket writes on the socket's own I/O thread, one task per burst. A frame sent to a WebSocket from another
 * thread wakes that I/O thread's selector; the fan-out sends one frame per client per flush, so waking it per frame
 * costs more than the writes (and contends on the selector's wake-up lock). Here the first frame of a burst schedules
 * a drain and the frames queued until it runs go out in it, in order per I/O thread. Thread-safe.
 */
final class IoThreadOutbox {

    private final Map<XnioIoThread, Lane> lanes = new ConcurrentHashMap<>();

    /** Runs {@code write} on {@code thread}, after the writes handed to it before. */
    void submit(final XnioIoThread thread, final Runnable write) {
        lanes.computeIfAbsent(thread, Lane::new).submit(write);
    }

    /** The queue of one I/O thread. */
    private static final class Lane {
        private final XnioIoThread thread;
        private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Runnable drain = this::drain;

        Lane(final XnioIoThread thread) {
            this.thread = thread;
        }

        void submit(final Runnable write) {
            pending.add(write);
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                thread.execute(drain);
            }
        }

        private void drain() {
            // Cleared first: a write queued after this point schedules the next drain itself.
            scheduled.set(false);
            for (Runnable write = pending.poll(); write != null; write = pending.poll()) {
                write.run();
            }
        }
    }
}
