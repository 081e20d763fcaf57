package io.cellwatch.edge.publish;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import io.cellwatch.edge.buffer.BufferedPublish;
import io.cellwatch.edge.buffer.DiskBuffer;
import io.cellwatch.edge.config.PublishSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drains the disk buffer into the MQTT link on its own thread: in queue order, at most {@code max-in-flight}
 * unacknowledged publishes and {@code drain-rate} publishes per second. The acknowledged position advances only
 * over a gap-free run of PUBACKs and is persisted every {@value #PERSIST_EVERY_MS} ms and at close; after a restart
 * the records after it are sent again and the broker drops the ones it already has by their {@code seq}. A publish
 * that fails without an acknowledgement makes the sender wait for the rest in flight and start again from the
 * acknowledged position. Start and close are idempotent.
 */
public final class BufferSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BufferSender.class);
    private static final long PERSIST_EVERY_MS = 100;
    private static final long TRIM_EVERY_MS = 1000;

    private enum State { PENDING, DONE, FAILED }

    private final DiskBuffer buffer;
    private final MqttLink link;
    private final PublishStats stats;
    private final int maxInFlight;
    private final long nanosPerPublish;
    private final Semaphore window;
    private final Object lock = new Object();
    private final TreeMap<Long, State> inFlight = new TreeMap<>();
    private final Map<Long, Long> seqOf = new TreeMap<>();
    private long ackedIndex;
    private long ackedSeq;
    private volatile boolean rewind;
    private volatile boolean running;
    private Thread thread;

    public BufferSender(final DiskBuffer buffer, final MqttLink link, final PublishSettings settings,
                        final PublishStats stats) {
        this.buffer = buffer;
        this.link = link;
        this.stats = stats;
        this.maxInFlight = settings.maxInFlight();
        this.nanosPerPublish = 1_000_000_000L / settings.drainRate();
        this.window = new Semaphore(maxInFlight);
        this.ackedIndex = buffer.ackedIndex();
        this.ackedSeq = -1;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "cellwatch-gateway-sender");
        thread.start();
    }

    /** Publishes sent and not yet acknowledged. */
    public int inFlight() {
        return maxInFlight - window.availablePermits();
    }

    private void run() {
        long nextSend = System.nanoTime();
        long lastPersist = 0;
        long lastTrim = 0;
        try (DiskBuffer.Reader reader = buffer.reader()) {
            while (running) {
                final long nowMs = System.currentTimeMillis();
                if (nowMs - lastPersist >= PERSIST_EVERY_MS) {
                    persist();
                    lastPersist = nowMs;
                }
                if (nowMs - lastTrim >= TRIM_EVERY_MS) {
                    lastTrim = nowMs;
                    if (buffer.trim()) {
                        rewind = true;
                    }
                }
                if (rewind) {
                    if (!settled()) {
                        LockSupport.parkNanos(5_000_000);
                        continue;
                    }
                    persist();
                    reader.rewindToAcked();
                    rewind = false;
                    stats.rewinds.incrementAndGet();
                }
                if (!link.connected()) {
                    LockSupport.parkNanos(20_000_000);
                    continue;
                }
                final long wait = nextSend - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                final BufferedPublish publish = reader.next();
                if (publish == null) {
                    window.release();
                    LockSupport.parkNanos(10_000_000);
                    continue;
                }
                nextSend = Math.max(nextSend + nanosPerPublish, System.nanoTime() - nanosPerPublish * 10);
                send(publish);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            log.error("the buffer sender stopped on a defect; restart the gateway", e);
        } finally {
            persist();
        }
    }

    private void send(final BufferedPublish publish) {
        synchronized (lock) {
            inFlight.put(publish.index(), State.PENDING);
            seqOf.put(publish.index(), publish.seq());
        }
        stats.sent.incrementAndGet();
        link.publish(publish.topic(), publish.payload()).whenComplete((result, error) -> {
            final State state;
            if (error == null) {
                stats.acked.incrementAndGet();
                state = State.DONE;
            } else if (error instanceof Mqtt5PubAckException refused) {
                // Acknowledged with an error: sending again would be refused again.
                if (stats.refused.incrementAndGet() % 1000 == 1) {
                    log.warn("broker refused {} (seq {}): {} ({} refused since start)", publish.topic(),
                            publish.seq(), refused.getMqttMessage().getReasonCode(), stats.refused());
                }
                state = State.DONE;
            } else {
                stats.failed.incrementAndGet();
                rewind = true;
                state = State.FAILED;
            }
            complete(publish.index(), state);
            window.release();
        });
    }

    private void complete(final long index, final State state) {
        synchronized (lock) {
            inFlight.put(index, state);
            while (!inFlight.isEmpty() && inFlight.firstEntry().getValue() == State.DONE) {
                final long done = inFlight.pollFirstEntry().getKey();
                ackedIndex = done;
                ackedSeq = seqOf.remove(done);
            }
        }
    }

    /** True when nothing is pending; then the failed entries are forgotten, to be read again. */
    private boolean settled() {
        synchronized (lock) {
            if (inFlight.containsValue(State.PENDING)) {
                return false;
            }
            inFlight.clear();
            seqOf.clear();
            return true;
        }
    }

    private void persist() {
        final long index;
        final long seq;
        synchronized (lock) {
            index = ackedIndex;
            seq = ackedSeq;
        }
        if (seq >= 0) {
            buffer.acknowledged(index, seq);
        }
    }

    /** Stops sending after the current publish and persists the position; waits at most 5 s. Idempotent. */
    @Override
    public void close() {
        final Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
