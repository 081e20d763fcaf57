package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One client's outgoing frames with backpressure. Snapshots go out in pages ({@link SnapshotPages}), one encoded each
 * time the client has room, ahead of any deltas (held meanwhile); at most {@link #MAX_PENDING_SNAPSHOTS} may wait. Shared delta frames go straight to the socket while fewer than
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

    /** Snapshots of different paths that may wait for the client to read them. */
    public static final int MAX_PENDING_SNAPSHOTS = 4;

    private final FrameSocket socket;
    private final LiveFanout fanout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Runnable written = () -> written(0);
    private volatile long lastProgressNanos;
    private volatile boolean holding;
    private volatile boolean closed;
    // Fan-out thread only: shared frames not sent yet, oldest first.
    private final List<DeltaFrame> held = new ArrayList<>();
    // Fan-out thread only: snapshots not fully sent yet, oldest first.
    private final Deque<SnapshotPages> snapshots = new ArrayDeque<>();

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

    /**
     * Queues a snapshot: its pages go out as the client reads, before any delta; one pending for the same path is
     * replaced. Fan-out thread only.
     *
     * @return false, and nothing queued, if {@link #MAX_PENDING_SNAPSHOTS} of other paths wait already
     */
    public boolean snapshot(final SnapshotPages pages) {
        if (closed) {
            return true;
        }
        snapshots.removeIf(pending -> pending.path().equals(pages.path()));
        if (snapshots.size() >= MAX_PENDING_SNAPSHOTS) {
            return false;
        }
        snapshots.add(pages);
        holding = true;
        // Paged by the flush, after its deltas: a subscribe never delays the other clients by a page.
        fanout.ready(this);
        return true;
    }

    /** Sends a shared delta frame, or holds its series back if the client is behind or reads a snapshot. */
    public void deliver(final DeltaFrame frame) {
        if (closed) {
            fanout.metrics().framesDropped.inc();
            return;
        }
        if (!snapshots.isEmpty() || !held.isEmpty() || inFlight.get() >= fanout.settings().framesInFlight()) {
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
        holding = !held.isEmpty() || !snapshots.isEmpty();
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

    /**
     * Sends what waits if the client has room: the next snapshot page, or once every snapshot is out, the held series
     * with their latest values, one frame per watched path.
     */
    void release() {
        if (closed) {
            return;
        }
        final int room = fanout.settings().framesInFlight();
        if (!snapshots.isEmpty()) {
            // One page per flush: a large snapshot is spread over flushes, each of which sends the deltas first.
            if (inFlight.get() < room) {
                final SnapshotPages pages = snapshots.peekFirst();
                fanout.metrics().snapshotPage();
                send(pages.next(), written);
                if (!pages.hasNext()) {
                    snapshots.pollFirst();
                }
                if (inFlight.get() < room) {
                    fanout.ready(this);
                }
            }
            return;
        }
        if (held.isEmpty()) {
            holding = false;
            return;
        }
        if (inFlight.get() >= room) {
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
        snapshots.clear();
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
