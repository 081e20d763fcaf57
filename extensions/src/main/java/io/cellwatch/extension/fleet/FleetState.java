package io.cellwatch.extension.fleet;

import io.cellwatch.contract.GatewayHealth;
import io.cellwatch.extension.ingest.GatewayKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The state of every gateway seen since start: online on connect, offline when its connection ends, stale when it
 * is connected but has published nothing for the stale timeout, online again on its next publish.
 * <p>
 * Broker threads only note facts ({@link #connected}, {@link #disconnected}, {@link #seen}: a map lookup and a
 * volatile write or a hand-off); every transition is decided on the single {@code cellwatch-fleet} thread, which
 * also tells the listeners, in order. Besides its state, a gateway may report its own health ({@link #reported});
 * the latest report of its current connection rides along in its {@link GatewayStatus}. Thread-safe. Start and
 * close are idempotent.
 */
public final class FleetState implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetState.class);

    /** What the broker threads write and the fleet thread reads. */
    private static final class Tracked {
        volatile long lastSeenMs;
        volatile long connection;
        final AtomicBoolean stale = new AtomicBoolean();
        // Written on the fleet thread only.
        volatile GatewayStatus status;
    }

    private final ConcurrentHashMap<GatewayKey, Tracked> gateways = new ConcurrentHashMap<>();
    private final List<Consumer<GatewayStatus>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<GatewayStatus>> transitionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<GatewayStatus>> reportListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final Clock clock;
    private final long staleAfterMs;
    private final ScheduledExecutorService thread;
    private boolean started;

    /** @param staleAfterMs how long a connected gateway may publish nothing before it is stale */
    public FleetState(final Clock clock, final long staleAfterMs) {
        this.clock = clock;
        this.staleAfterMs = staleAfterMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread t = new Thread(runnable, "cellwatch-fleet");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Adds a listener told of every change (a new state, or a new health report in the same state), on the fleet
     * thread; add before {@link #start}.
     */
    public void onChange(final Consumer<GatewayStatus> listener) {
        listeners.add(listener);
    }

    /** Adds a listener told of changes of state only (not of health reports), on the fleet thread, after onChange's. */
    public void onTransition(final Consumer<GatewayStatus> listener) {
        transitionListeners.add(listener);
    }

    /** Adds a listener told of each new health report (not of changes of state), on the fleet thread, after onChange's. */
    public void onReport(final Consumer<GatewayStatus> listener) {
        reportListeners.add(listener);
    }

    /** Starts the stale check: at most a tenth of the timeout (and at most a second) late. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        final long period = Math.max(20, Math.min(1_000, staleAfterMs / 10));
        thread.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A gateway connected (any thread). Returns the number of this connection, to be handed back with its
     * {@link #disconnected} so the end of a connection that was taken over changes nothing.
     */
    public long connected(final GatewayKey key) {
        return connected(key, StateCause.CONNECT);
    }

    /**
     * As {@link #connected(GatewayKey)}, for {@code cause} {@link StateCause#CONNECT} or {@link StateCause#BIRTH}
     * (a Sparkplug B node or device, whose state follows its certificates, not a connection).
     */
    public long connected(final GatewayKey key, final StateCause cause) {
        final long number = connections.incrementAndGet();
        final long now = clock.millis();
        thread.execute(() -> {
            final Tracked tracked = gateways.computeIfAbsent(key, k -> new Tracked());
            tracked.connection = number;
            tracked.lastSeenMs = now;
            tracked.stale.set(false);
            change(key, tracked, GatewayState.ONLINE, cause, now);
        });
        return number;
    }

    /** Connection {@code number} of {@code key} ended for {@code cause} (any thread). */
    public void disconnected(final GatewayKey key, final long number, final StateCause cause) {
        final long now = clock.millis();
        thread.execute(() -> {
            final Tracked tracked = gateways.get(key);
            if (tracked == null || tracked.connection != number) {
                return;
            }
            tracked.stale.set(false);
            change(key, tracked, GatewayState.OFFLINE, cause, now);
        });
    }

    /**
     * On a serving node: a gateway's state changed on its ingest node (relayed through Kafka, feed thread). Its
     * state here follows; a local connection of the same gateway keeps its own tracking.
     *
     * @param state a {@link GatewayState} word; {@code cause} a {@link StateCause} word
     */
    public void relayed(final GatewayKey key, final String state, final String cause, final long atMs) {
        final GatewayState relayedState = GatewayState.valueOf(state.toUpperCase(java.util.Locale.ROOT));
        final StateCause relayedCause = StateCause.valueOf(cause.toUpperCase(java.util.Locale.ROOT));
        thread.execute(() -> {
            final Tracked tracked = gateways.computeIfAbsent(key, k -> new Tracked());
            if (relayedState == GatewayState.ONLINE) {
                tracked.lastSeenMs = Math.max(tracked.lastSeenMs, atMs);
                tracked.stale.set(false);
            }
            change(key, tracked, relayedState, relayedCause, atMs);
        });
    }

    /**
     * The gateway {@code key} reported its health (broker thread: a hand-off; on a serving node, relayed from its
     * ingest node through Kafka). Kept while it stays connected; a client that is not a tracked gateway (an operator,
     * an admin) changes nothing.
     */
    public void reported(final GatewayKey key, final GatewayHealth health) {
        thread.execute(() -> {
            final Tracked tracked = gateways.get(key);
            final GatewayStatus status = tracked == null ? null : tracked.status;
            if (status == null || status.state() == GatewayState.OFFLINE || health.equals(status.health())) {
                return;
            }
            tell(tracked, new GatewayStatus(key, status.state(), status.cause(), status.sinceMs(),
                    tracked.lastSeenMs, health), false);
        });
    }

    /** {@code key} published (broker thread): a volatile write, and a hand-off only when it was stale. */
    public void seen(final GatewayKey key) {
        final Tracked tracked = gateways.get(key);
        if (tracked == null) {
            return;
        }
        final long now = clock.millis();
        tracked.lastSeenMs = now;
        if (tracked.stale.compareAndSet(true, false)) {
            thread.execute(() -> {
                if (tracked.status != null && tracked.status.state() == GatewayState.STALE) {
                    change(key, tracked, GatewayState.ONLINE, StateCause.DATA, now);
                }
            });
        }
    }

    /** Every gateway's current state that {@code visible} accepts (any thread; a moment's picture). */
    public List<GatewayStatus> statuses(final Predicate<GatewayKey> visible) {
        final List<GatewayStatus> out = new ArrayList<>();
        for (final Tracked tracked : gateways.values()) {
            final GatewayStatus status = tracked.status;
            if (status != null && visible.test(status.key())) {
                out.add(withLastSeen(status, tracked.lastSeenMs));
            }
        }
        out.sort((a, b) -> compare(a.key(), b.key()));
        return out;
    }

    /** Runs {@code task} on the fleet thread, after every change already handed to it. */
    public void execute(final Runnable task) {
        thread.execute(task);
    }

    /** Runs a stale check now, on the fleet thread, besides the periodic ones. */
    void checkStale() {
        thread.execute(this::sweep);
    }

    private static int compare(final GatewayKey a, final GatewayKey b) {
        int c = a.tenant().compareTo(b.tenant());
        if (c == 0) {
            c = a.clientId().compareTo(b.clientId());
        }
        return c == 0 ? a.user().compareTo(b.user()) : c;
    }

    private void sweep() {
        final long now = clock.millis();
        gateways.forEach((key, tracked) -> {
            final GatewayStatus status = tracked.status;
            if (status != null && status.state() == GatewayState.ONLINE && now - tracked.lastSeenMs >= staleAfterMs) {
                tracked.stale.set(true);
                // A publish may have landed between the check and the flag: it wins.
                if (now - tracked.lastSeenMs >= staleAfterMs) {
                    change(key, tracked, GatewayState.STALE, StateCause.TIMEOUT, now);
                } else {
                    tracked.stale.set(false);
                }
            }
        });
    }

    private void change(final GatewayKey key, final Tracked tracked, final GatewayState state, final StateCause cause,
                        final long at) {
        final GatewayStatus previous = tracked.status;
        if (previous != null && previous.state() == state && cause != StateCause.CONNECT
                && cause != StateCause.BIRTH) {
            return;
        }
        // A report belongs to the connection it came on: a new connection, or none, starts without.
        final boolean keepsHealth = previous != null && state != GatewayState.OFFLINE && cause != StateCause.CONNECT
                && cause != StateCause.BIRTH;
        tell(tracked, new GatewayStatus(key, state, cause, at, tracked.lastSeenMs,
                keepsHealth ? previous.health() : null), true);
    }

    private void tell(final Tracked tracked, final GatewayStatus status, final boolean transition) {
        tracked.status = status;
        for (final Consumer<GatewayStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (final RuntimeException e) {
                log.error("a gateway state listener failed on {}", status, e);
            }
        }
        for (final Consumer<GatewayStatus> listener : transition ? transitionListeners : reportListeners) {
            try {
                listener.accept(status);
            } catch (final RuntimeException e) {
                log.error("a gateway state listener failed on {}", status, e);
            }
        }
    }

    private static GatewayStatus withLastSeen(final GatewayStatus status, final long lastSeenMs) {
        return lastSeenMs == status.lastSeenMs() ? status
                : new GatewayStatus(status.key(), status.state(), status.cause(), status.sinceMs(), lastSeenMs,
                status.health());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
