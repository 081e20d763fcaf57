package io.cellwatch.extension.live;

import io.cellwatch.extension.config.LiveSettings;
import io.cellwatch.extension.series.Series;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveOutletTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Two frames in flight, a client closed after 1 s without progress; the periodic run every 5 ms. */
    private static final LiveSettings SETTINGS = new LiveSettings(5, 2, 1_000, 20_000);

    private final LiveFixture fixture = new LiveFixture(SETTINGS);
    private final LiveFanout fanout = fixture.fanout;
    private final Series soc = fixture.series("tenants/t1/plants/p1/soc");
    private final Series voltage = fixture.series("tenants/t1/plants/p1/voltage");

    /** A socket that writes a frame only when told to (or at once when {@code reading}), recording what it got. */
    private static final class Socket implements FrameSocket {
        final List<String> written = new CopyOnWriteArrayList<>();
        final Queue<Runnable> unwritten = new ConcurrentLinkedQueue<>();
        final List<Integer> closedWith = new CopyOnWriteArrayList<>();
        final Queue<String> queued = new ConcurrentLinkedQueue<>();
        volatile boolean reading;

        Socket(final boolean reading) {
            this.reading = reading;
        }

        @Override
        public void send(final ByteBuffer utf8, final Runnable done) {
            final String text = StandardCharsets.UTF_8.decode(utf8).toString();
            synchronized (this) {
                if (!reading) {
                    queued.add(text);
                    unwritten.add(done);
                    return;
                }
                written.add(text);
            }
            done.run();
        }

        /** Writes every queued frame in order, as a client that reads again; later frames come after them. */
        void catchUp() {
            final List<Runnable> done = new ArrayList<>();
            synchronized (this) {
                reading = true;
                while (!unwritten.isEmpty()) {
                    written.add(queued.poll());
                    done.add(unwritten.poll());
                }
            }
            done.forEach(Runnable::run);
        }

        @Override
        public void close(final int code, final String reason) {
            closedWith.add(code);
        }
    }

    /** A subscriber handing its frames to its outlet, as a WebSocket session does. */
    private record Client(Socket socket, LiveOutlet outlet) implements LiveSubscriber {
        @Override
        public void deliver(final DeltaFrame frame) {
            outlet.deliver(frame);
        }
    }

    @AfterEach
    void closeFanout() {
        fanout.close();
    }

    private Client client(final boolean reading) throws Exception {
        return client(reading, "tenants/t1");
    }

    private Client client(final boolean reading, final String... paths) throws Exception {
        final Socket socket = new Socket(reading);
        final Client client = new Client(socket, fanout.outlet(socket));
        final CompletableFuture<Void> done = new CompletableFuture<>();
        fanout.execute(() -> {
            for (final String path : paths) {
                fanout.watch(client, path);
            }
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
        return client;
    }

    /** Publishes and waits until the frame carrying it was sent or held back, so no two publishes coalesce. */
    private void publishInItsOwnFlush(final Series series, final double value) {
        final long before = fixture.metrics.framesSent() + fixture.metrics.framesCoalesced();
        fixture.publish(series, value, (long) (value * 1000));
        await().atMost(TIMEOUT).until(() -> fixture.metrics.framesSent() + fixture.metrics.framesCoalesced() > before);
    }

    @Test
    void framesBeyondTheInFlightBoundAreHeldAndSentAsOneLatestValueFrame() throws Exception {
        fanout.start();
        final Client slow = client(false);

        for (int i = 1; i <= 10; i++) {
            publishInItsOwnFlush(soc, i);
        }
        publishInItsOwnFlush(voltage, 3.7);
        await().atMost(TIMEOUT).until(() -> fixture.metrics.framesCoalesced() == 9);

        assertThat(slow.socket().queued).containsExactly("tenants/t1/plants/p1/soc=1.0",
                "tenants/t1/plants/p1/soc=2.0");
        assertThat(slow.outlet().holding()).isTrue();

        slow.socket().catchUp();

        await().atMost(TIMEOUT).until(() -> slow.socket().written.size() == 3);
        assertThat(slow.socket().written.get(2))
                .isEqualTo("tenants/t1/plants/p1/soc=10.0,tenants/t1/plants/p1/voltage=3.7");
        assertThat(slow.outlet().holding()).isFalse();
        assertThat(slow.socket().closedWith).isEmpty();
    }

    @Test
    void heldFramesPastTheBoundAreMergedKeepingEachSeriesOnceWithItsNewestValue() throws Exception {
        fanout.start();
        final Client slow = client(false);
        final int frames = SETTINGS.framesInFlight() + LiveOutlet.MAX_HELD_FRAMES + 10;
        for (int i = 1; i <= frames; i++) {
            publishInItsOwnFlush(i % 2 == 0 ? soc : voltage, i);
        }
        assertThat(fixture.metrics.framesCoalesced()).isEqualTo(frames - SETTINGS.framesInFlight());

        slow.socket().catchUp();

        await().atMost(TIMEOUT).until(() -> slow.socket().written.size() == SETTINGS.framesInFlight() + 1);
        assertThat(slow.socket().written.get(SETTINGS.framesInFlight())).isEqualTo("tenants/t1/plants/p1/voltage="
                + (frames - 1) + ".0,tenants/t1/plants/p1/soc=" + frames + ".0");
    }

    @Test
    void aSlowClientWatchingTwoPathsCatchesUpWithOneFramePerPath() throws Exception {
        fanout.start();
        final Series otherPack = fixture.series("tenants/t1/plants/p2/soc");
        final Client slow = client(false, "tenants/t1/plants/p1", "tenants/t1/plants/p2");
        for (int i = 1; i <= 6; i++) {
            publishInItsOwnFlush(i % 2 == 0 ? otherPack : soc, i);
        }
        assertThat(fixture.metrics.framesCoalesced()).isEqualTo(4);

        slow.socket().catchUp();

        await().atMost(TIMEOUT).until(() -> slow.socket().written.size() == 4);
        assertThat(slow.socket().written.subList(2, 4))
                .as("each catch-up frame holds one path's series, so its keys can be relative to that path")
                .containsExactly("tenants/t1/plants/p1/soc=5.0", "tenants/t1/plants/p2/soc=6.0");
    }

    @Test
    void stalledClientIsClosedWith1013AfterTheBoundWhileAReadingClientKeepsReceiving() throws Exception {
        fanout.start();
        final Client stalled = client(false);
        final Client reading = client(true);
        for (int i = 1; i <= 5; i++) {
            fixture.publish(soc, i, i);
        }
        await().atMost(TIMEOUT).until(() -> reading.socket().written.contains("tenants/t1/plants/p1/soc=5.0"));

        fixture.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        fixture.publish(soc, 6, 6);
        await().atMost(TIMEOUT).until(() -> reading.socket().written.contains("tenants/t1/plants/p1/soc=6.0"));
        assertThat(stalled.socket().closedWith).isEmpty();

        // Past the bound (slow-client checks run every tenth of it).
        fixture.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        await().atMost(TIMEOUT).until(() -> !stalled.socket().closedWith.isEmpty());
        fixture.publish(soc, 7, 7);
        await().atMost(TIMEOUT).until(() -> reading.socket().written.contains("tenants/t1/plants/p1/soc=7.0"));

        assertThat(stalled.socket().closedWith).containsExactly(LiveOutlet.SLOW_CLOSE_CODE);
        assertThat(stalled.outlet().closed()).isTrue();
        assertThat(reading.socket().closedWith).isEmpty();
        assertThat(fixture.metrics.slowClientsClosed()).isEqualTo(1);
        await().atMost(TIMEOUT).until(() -> fixture.metrics.framesDropped() >= 1);
        assertThat(stalled.socket().queued).hasSize(SETTINGS.framesInFlight());
    }

    @Test
    void idleClientWithNothingUnwrittenIsNeverClosed() throws Exception {
        fanout.start();
        final Client idle = client(true);
        fixture.publish(soc, 1, 1);
        await().atMost(TIMEOUT).until(() -> idle.socket().written.size() == 1);

        fixture.nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        final long flushes = fixture.metrics.flushes();
        await().atMost(TIMEOUT).until(() -> fixture.metrics.flushes() > flushes + 2);

        assertThat(idle.socket().closedWith).isEmpty();
        assertThat(idle.outlet().closed()).isFalse();
    }

    @Test
    void unsubscribedSeriesAreForgottenFromTheHeldSet() throws Exception {
        fanout.start();
        final Client slow = client(false);
        for (int i = 1; i <= 3; i++) {
            publishInItsOwnFlush(soc, i);
        }
        publishInItsOwnFlush(voltage, 3.7);
        assertThat(slow.outlet().holding()).isTrue();

        final CompletableFuture<Void> done = new CompletableFuture<>();
        fanout.execute(() -> {
            fanout.unwatch(slow, "tenants/t1");
            fanout.watch(slow, voltage.key());
            slow.outlet().forget(series -> fanout.watches(slow, series));
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
        slow.socket().catchUp();

        await().atMost(TIMEOUT).until(() -> slow.socket().written.size() >= 3);
        final List<String> lastFrames = new ArrayList<>(slow.socket().written.subList(2, slow.socket().written.size()));
        assertThat(lastFrames).containsExactly("tenants/t1/plants/p1/voltage=3.7");
    }

    /** Pages "path#1", "path#2", … up to {@code count}. */
    private static SnapshotPages pages(final String path, final int count) {
        return new SnapshotPages() {
            private int sent;

            @Override
            public String path() {
                return path;
            }

            @Override
            public boolean hasNext() {
                return sent < count;
            }

            @Override
            public ByteBuffer next() {
                return ByteBuffer.wrap((path + "#" + ++sent).getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private void snapshot(final Client client, final SnapshotPages pages) throws Exception {
        final CompletableFuture<Boolean> queued = new CompletableFuture<>();
        fanout.execute(() -> queued.complete(client.outlet().snapshot(pages)));
        assertThat(queued.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void snapshotPagesGoOutAtTheClientsPaceAheadOfTheDeltasHeldMeanwhile() throws Exception {
        fanout.start();
        final Client slow = client(false);
        snapshot(slow, pages("tenants/t1", 5));
        await().atMost(TIMEOUT).until(() -> slow.socket().queued.size() == SETTINGS.framesInFlight());
        publishInItsOwnFlush(soc, 1);

        assertThat(slow.socket().queued).as("pages encoded only while the client has room")
                .containsExactly("tenants/t1#1", "tenants/t1#2");

        slow.socket().catchUp();

        await().atMost(TIMEOUT).until(() -> slow.socket().written.size() == 6);
        assertThat(slow.socket().written).containsExactly("tenants/t1#1", "tenants/t1#2", "tenants/t1#3",
                "tenants/t1#4", "tenants/t1#5", "tenants/t1/plants/p1/soc=1.0");
        assertThat(slow.outlet().holding()).isFalse();
    }

    @Test
    void aClientThatNeverReadsItsSnapshotIsClosedAfterTheBoundHoldingNoMoreThanItsPagesInFlight() throws Exception {
        fanout.start();
        final Client stalled = client(false);
        snapshot(stalled, pages("tenants/t1", 1_000));
        await().atMost(TIMEOUT).until(() -> stalled.socket().queued.size() == SETTINGS.framesInFlight());

        fixture.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_200));
        fixture.publish(soc, 1, 1);
        await().atMost(TIMEOUT).until(() -> !stalled.socket().closedWith.isEmpty());

        assertThat(stalled.socket().closedWith).containsExactly(LiveOutlet.SLOW_CLOSE_CODE);
        assertThat(stalled.socket().queued).hasSize(SETTINGS.framesInFlight());
    }

    @Test
    void snapshotsOfMoreThanTheBoundOfPathsWaitingAreRefused() throws Exception {
        fanout.start();
        final Client slow = client(false);
        for (int i = 0; i < LiveOutlet.MAX_PENDING_SNAPSHOTS; i++) {
            snapshot(slow, pages("tenants/t1/plants/p" + i, 10));
        }
        // The same path again replaces its waiting snapshot; a new one is refused.
        snapshot(slow, pages("tenants/t1/plants/p0", 10));
        final CompletableFuture<Boolean> queued = new CompletableFuture<>();
        fanout.execute(() -> queued.complete(slow.outlet().snapshot(pages("tenants/t1/plants/other", 10))));

        assertThat(queued.get(5, TimeUnit.SECONDS)).isFalse();
    }
}
