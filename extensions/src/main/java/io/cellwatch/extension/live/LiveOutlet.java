package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One client's outgoing frames with backpressure. Shared delta frames go straight to the socket while fewer than
 * {@code framesInFlight} are unwritten; beyond that, the shared frames are held (a reference each, no copy) and later
 * sent as one frame per watched path with each series' latest value (coalesced), joined from the held frames' bytes.
 * Past {@link #MAX_HELD_FRAMES} the held frames are merged into one per path, so a slow client costs at most one held
 * set of series, never a queue, and holding costs nothing per series while a client is behind. A client that leaves a frame
 * unwritten for {@code slowClientMillis} is closed with {@link #SLOW_CLOSE_CODE}.
 * <p>
 * {@link #deliver}, {@link #release}, {@link #forget} and {@link #closeIfStalled} run on the fan-out thread;
 * {@link #send} may be called from any thread.
 */
public final class LiveOutlet {

    /** WebSocket close code for a client that stopped reading: 1013 "try again later" (reconnect, resubscribe). */
    public static final int SLOW_CLOSE_CODE = 1013;

    /** Held frames beyond which they are merged into one per path (their newest sample per series). */
    static final int MAX_HELD_FRAMES = 32;

    private final FrameSocket socket;
    private final LiveFanout fanout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Runnable written = () -> written(0);
    private volatile long lastProgressNanos;
    private volatile boolean holding;
    private volatile boolean closed;
    // Fan-out thread only: shared frames not sent yet, oldest first.
    private final List<DeltaFrame> held = new ArrayList<>();

    LiveOutlet(final FrameSocket socket, final LiveFanout fanout) {
        this.socket = socket;
        this.fanout = fanout;
    }

    /** Sends a frame now, ahead of any held changes (snapshots, errors); any thread. */
    public void send(final ByteBuffer utf8) {
        send(utf8, written);
    }

    private void send(final ByteBuffer utf8, final Runnable done) {
        if (closed) {
            fanout.metrics().framesDropped.inc();
            return;
        }
        if (inFlight.getAndIncrement() == 0) {
            lastProgressNanos = fanout.nanoTime();
        }
        fanout.metrics().framesSent.inc();
        socket.send(utf8, done);
    }

    private void sendDelta(final ByteBuffer utf8, final long since) {
        send(utf8, () -> written(since));
    }

    /** Sends a shared delta frame, or holds its series back if the client is behind. */
    public void deliver(final DeltaFrame frame) {
        if (closed) {
            fanout.metrics().framesDropped.inc();
            return;
        }
        if (!held.isEmpty() || inFlight.get() >= fanout.settings().framesInFlight()) {
            held.add(frame);
            if (held.size() > MAX_HELD_FRAMES) {
                compact(series -> true);
            }
            holding = true;
            fanout.metrics().framesCoalesced.inc();
            if (inFlight.get() < fanout.settings().framesInFlight()) {
                // The last write finished before holding was set, so written() did not ask for a release: ask now.
                fanout.ready(this);
            }
            return;
        }
        sendDelta(frame.utf8().duplicate(), frame.since());
    }

    /** Drops held series {@code keep} rejects (after an unsubscribe). */
    public void forget(final Predicate<Series> keep) {
        if (!held.isEmpty()) {
            compact(keep);
        }
        holding = !held.isEmpty();
    }

    private void compact(final Predicate<Series> keep) {
        final List<DeltaFrame> merged = fanout.merge(held, keep);
        held.clear();
        held.addAll(merged);
    }

    /** Whether changes are held back waiting for the client to catch up. */
    public boolean holding() {
        return holding;
    }

    /** Number of frames queued on the socket but not yet written. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether the outlet was closed as too slow. */
    public boolean closed() {
        return closed;
    }

    /** Sends the held series with their latest values, one frame per watched path, if the client has room again. */
    void release() {
        if (closed || held.isEmpty() || inFlight.get() >= fanout.settings().framesInFlight()) {
            return;
        }
        final List<DeltaFrame> frames = held.size() == 1 ? List.copyOf(held) : fanout.merge(held, series -> true);
        held.clear();
        holding = false;
        for (final DeltaFrame frame : frames) {
            sendDelta(frame.utf8().duplicate(), frame.since());
        }
    }

    /** Closes the client if its oldest unwritten frame is older than the bound; true if it did. */
    boolean closeIfStalled(final long nowNanos) {
        if (closed || inFlight.get() == 0
                || nowNanos - lastProgressNanos < fanout.settings().slowClientMillis() * 1_000_000L) {
            return false;
        }
        closed = true;
        held.clear();
        holding = false;
        fanout.metrics().slowClientsClosed.inc();
        socket.close(SLOW_CLOSE_CODE, "too slow: a frame stayed unread for more than "
                + fanout.settings().slowClientMillis() + " ms; reconnect and subscribe again");
        return true;
    }

    private void written(final long since) {
        final long now = fanout.nanoTime();
        lastProgressNanos = now;
        if (since != 0) {
            fanout.metrics().delivered(now - since);
        }
        inFlight.decrementAndGet();
        if (holding) {
            fanout.ready(this);
        }
    }
}
