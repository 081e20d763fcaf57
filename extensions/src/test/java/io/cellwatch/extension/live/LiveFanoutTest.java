package io.cellwatch.extension.live;

import io.cellwatch.extension.config.LiveSettings;
import io.cellwatch.extension.series.Series;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LiveFanoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final LiveFixture fixture = new LiveFixture(new LiveSettings(1, 8, 5_000, 20_000));
    private final LiveFanout fanout = fixture.fanout;
    private final Series voltage = fixture.series("tenants/t1/plants/p1/racks/r1/packs/k1/cells/7/voltage");
    private final Series soc = fixture.series("tenants/t1/plants/p1/soc");
    private final Series elsewhere = fixture.series("tenants/t1/plants/p2/soc");

    /** Records every frame it is handed, with the frame's text. */
    private static final class Recorder implements LiveSubscriber {
        final List<DeltaFrame> frames = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(final DeltaFrame frame) {
            frames.add(frame);
        }

        boolean saw(final String text) {
            return frames.stream().anyMatch(f -> LiveFixture.text(f).contains(text));
        }
    }

    @AfterEach
    void closeFanout() {
        fanout.close();
    }

    /** Runs {@code action} on the fan-out thread and waits for it. */
    private void onFanoutThread(final Runnable action) throws Exception {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        fanout.execute(() -> {
            action.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private void watch(final LiveSubscriber subscriber, final String path) throws Exception {
        onFanoutThread(() -> fanout.watch(subscriber, path));
    }

    @Test
    void changeOfAnIdleSystemIsFlushedAtOnceNotAfterTheBound() throws Exception {
        // A bound far longer than the await: a frame that arrives was not held for it.
        final LiveFixture idle = new LiveFixture(new LiveSettings(60_000, 8, 5_000, 20_000));
        final Recorder recorder = new Recorder();
        idle.fanout.start();
        try {
            final CompletableFuture<Void> watching = new CompletableFuture<>();
            idle.fanout.execute(() -> {
                idle.fanout.watch(recorder, "tenants/t1/plants/p1");
                watching.complete(null);
            });
            watching.get(5, TimeUnit.SECONDS);

            idle.publish(voltage, 3.67, 1_000);

            await().atMost(TIMEOUT).until(() -> recorder.saw(voltage.key() + "=3.67"));
            assertThat(recorder.frames).singleElement()
                    .satisfies(f -> assertThat(f.series()).containsExactly(voltage));
        } finally {
            idle.fanout.close();
        }
    }

    @Test
    void underSteadyLoadDeltaFlushesAreAtLeastTheBoundApart() throws Exception {
        final LiveFixture busy = new LiveFixture(new LiveSettings(200, 8, 5_000, 20_000));
        final Recorder recorder = new Recorder();
        final AtomicBoolean publishing = new AtomicBoolean(true);
        busy.fanout.start();
        final Thread load = new Thread(() -> {
            for (int i = 1; publishing.get(); i++) {
                busy.publish(soc, i, i);
            }
        });
        try {
            final CompletableFuture<Void> watching = new CompletableFuture<>();
            busy.fanout.execute(() -> {
                busy.fanout.watch(recorder, "tenants/t1");
                watching.complete(null);
            });
            watching.get(5, TimeUnit.SECONDS);
            final long start = System.nanoTime();
            load.start();
            await().atMost(TIMEOUT).until(() -> recorder.frames.size() >= 3);
            final int frames = recorder.frames.size();
            final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            // However fast the publisher, one delta flush per 200 ms at most (plus the one sent at once when idle).
            assertThat(frames).isLessThanOrEqualTo((int) (elapsedMillis / 200) + 2);
        } finally {
            publishing.set(false);
            load.join();
            busy.fanout.close();
        }
    }

    @Test
    void everyWatcherOfAPathGetsTheOneFrameSerialisedForIt() throws Exception {
        final Recorder first = new Recorder();
        final Recorder second = new Recorder();
        final Recorder third = new Recorder();
        fanout.start();
        watch(first, "tenants/t1/plants/p1");
        watch(second, "tenants/t1/plants/p1");
        watch(third, "tenants/t1/plants/p1");
        final long encodedBefore = fixture.metrics.framesEncoded();

        fixture.publish(soc, 0.5, 1_000);

        await().atMost(TIMEOUT).until(() -> !third.frames.isEmpty());
        assertThat(second.frames.get(0)).isSameAs(first.frames.get(0));
        assertThat(third.frames.get(0)).isSameAs(first.frames.get(0));
        assertThat(fixture.metrics.framesEncoded() - encodedBefore).isEqualTo(1);
    }

    @Test
    void changeReachesTheWatchersOfItsAncestorsOnly() throws Exception {
        final Recorder plant = new Recorder();
        final Recorder pack = new Recorder();
        final Recorder otherPlant = new Recorder();
        final Recorder tenant = new Recorder();
        fanout.start();
        watch(plant, "tenants/t1/plants/p1");
        watch(pack, "tenants/t1/plants/p1/racks/r1/packs/k1");
        watch(otherPlant, "tenants/t1/plants/p2");
        watch(tenant, "tenants/t1");

        fixture.publish(voltage, 3.6, 1_000);
        fixture.publish(elsewhere, 0.4, 1_000);

        await().atMost(TIMEOUT).until(() -> tenant.saw(voltage.key()) && tenant.saw(elsewhere.key()));
        await().atMost(TIMEOUT).until(() -> plant.saw(voltage.key()) && pack.saw(voltage.key())
                && otherPlant.saw(elsewhere.key()));
        assertThat(plant.saw(elsewhere.key())).isFalse();
        assertThat(pack.saw(elsewhere.key())).isFalse();
        assertThat(otherPlant.saw(voltage.key())).isFalse();
    }

    @Test
    void valuesSupersededWhileTheThreadIsBusyArriveOnceWithTheNewestValue() throws Exception {
        final AtomicBoolean updated = new AtomicBoolean();
        final Recorder recorder = new Recorder();
        // Publish from inside a delivery, on the fan-out thread: all 100 changes land before the next flush.
        final LiveSubscriber busy = frame -> {
            if (updated.compareAndSet(false, true)) {
                for (int i = 1; i <= 100; i++) {
                    fixture.publish(voltage, i, 1_000 + i);
                }
            }
        };
        fanout.start();
        watch(busy, "tenants/t1/plants/p2");
        watch(recorder, voltage.key());

        fixture.publish(elsewhere, 1.0, 1_000);

        await().atMost(TIMEOUT).until(() -> recorder.saw(voltage.key() + "=100.0"));
        assertThat(recorder.frames).singleElement().satisfies(f -> {
            assertThat(f.series()).containsExactly(voltage);
            assertThat(LiveFixture.text(f)).isEqualTo(voltage.key() + "=100.0");
        });
    }

    @Test
    void subscribingAndUnsubscribingWhileFlushesRunUnderLoadIsSafe() throws Exception {
        final AtomicBoolean publishing = new AtomicBoolean(true);
        final Thread load = new Thread(() -> {
            for (int i = 1; publishing.get(); i++) {
                fixture.publish(soc, i, i);
                fixture.publish(voltage, i, i);
            }
        });
        final Recorder steady = new Recorder();
        fanout.start();
        watch(steady, "tenants/t1");
        load.start();
        try {
            for (int round = 0; round < 20; round++) {
                final Recorder joining = new Recorder();
                watch(joining, "tenants/t1/plants/p1");
                await().atMost(TIMEOUT).until(() -> !joining.frames.isEmpty());
                onFanoutThread(() -> fanout.unwatch(joining, "tenants/t1/plants/p1"));
                final int seen = joining.frames.size();
                final int steadySeen = steady.frames.size();
                await().atMost(TIMEOUT).until(() -> steady.frames.size() > steadySeen + 1);
                assertThat(joining.frames).hasSize(seen);
            }
            assertThat(fanout.subscriberCount()).isEqualTo(1);
        } finally {
            publishing.set(false);
            load.join();
        }
    }

    @Test
    void unwatchingDuringADeliveryTakesEffectFromTheNextFlush() throws Exception {
        final Recorder removed = new Recorder();
        final AtomicBoolean done = new AtomicBoolean();
        final LiveSubscriber remover = frame -> {
            if (done.compareAndSet(false, true)) {
                fanout.unwatch(removed, "tenants/t1/plants/p1");
            }
        };
        final Recorder witness = new Recorder();
        fanout.start();
        watch(remover, "tenants/t1/plants/p1");
        watch(removed, "tenants/t1/plants/p1");
        watch(witness, "tenants/t1/plants/p1");

        fixture.publish(soc, 1.0, 1_000);
        await().atMost(TIMEOUT).until(() -> witness.frames.size() == 1);
        fixture.publish(soc, 2.0, 2_000);
        await().atMost(TIMEOUT).until(() -> witness.frames.size() == 2);

        assertThat(removed.frames).singleElement().satisfies(f -> assertThat(LiveFixture.text(f)).endsWith("=1.0"));
        assertThat(fanout.subscriberCount()).isEqualTo(2);
    }

    @Test
    void failingSubscriberIsDroppedAndOthersKeepReceiving() throws Exception {
        final AtomicInteger failures = new AtomicInteger();
        final Recorder recorder = new Recorder();
        fanout.start();
        watch(frame -> {
            failures.incrementAndGet();
            throw new IllegalStateException("broken client");
        }, "tenants/t1");
        watch(recorder, "tenants/t1");

        fixture.publish(soc, 1.0, 1_000);
        await().atMost(TIMEOUT).until(() -> recorder.frames.size() == 1);
        fixture.publish(soc, 2.0, 2_000);
        await().atMost(TIMEOUT).until(() -> recorder.frames.size() == 2);

        assertThat(failures).hasValue(1);
        assertThat(fanout.subscriberCount()).isEqualTo(1);
    }

    @Test
    void changesWithoutWatchersAreNotDeliveredToALaterWatcher() throws Exception {
        fanout.start();
        fixture.publish(voltage, 3.6, 1_000);
        final Recorder recorder = new Recorder();
        watch(recorder, "tenants/t1");

        fixture.publish(soc, 0.5, 1_000);

        await().atMost(TIMEOUT).until(() -> !recorder.frames.isEmpty());
        assertThat(recorder.frames).singleElement().satisfies(f -> assertThat(f.series()).containsExactly(soc));
        assertThat(voltage.latest().value()).isEqualTo(3.6);
    }

    @Test
    void olderSampleIsNotFannedOut() throws Exception {
        final Recorder recorder = new Recorder();
        fanout.start();
        fixture.publish(voltage, 2.0, 2_000);
        watch(recorder, "tenants/t1");

        fixture.publish(voltage, 1.0, 1_000);
        fixture.publish(soc, 0.5, 1_000);

        await().atMost(TIMEOUT).until(() -> !recorder.frames.isEmpty());
        assertThat(recorder.saw(voltage.key())).isFalse();
        assertThat(voltage.latest().value()).isEqualTo(2.0);
    }

    @Test
    void subscriptionsChangeOnlyOnTheFanoutThread() {
        fanout.start();

        assertThatThrownBy(() -> fanout.watch(new Recorder(), "tenants/t1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fan-out thread");
    }

    @Test
    void startAndCloseAreIdempotentAndCloseStopsDelivery() throws Exception {
        final Recorder recorder = new Recorder();
        fanout.start();
        fanout.start();
        watch(recorder, "tenants/t1");

        fanout.close();
        fanout.close();
        fixture.publish(soc, 0.5, 1_000);

        final CompletableFuture<Void> ran = new CompletableFuture<>();
        fanout.execute(() -> ran.complete(null));
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> !ran.isDone() && recorder.frames.isEmpty());
    }

    @Test
    void theProbesSeriesReachesItsOwnWatcherButNobodyWatchingEverything() throws Exception {
        final Series probe = fixture.series("tenants/~cellwatch/probes/e2e/sample");
        final Recorder everything = new Recorder();
        final Recorder tenants = new Recorder();
        final Recorder own = new Recorder();
        fanout.start();
        watch(everything, "");
        watch(tenants, "tenants");
        watch(own, probe.key());

        fixture.publish(probe, 1, 1_000);
        fixture.publish(voltage, 3.6, 1_000);

        await().atMost(TIMEOUT).until(() -> own.saw(probe.key()) && everything.saw(voltage.key())
                && tenants.saw(voltage.key()));
        assertThat(everything.saw("~cellwatch")).isFalse();
        assertThat(tenants.saw("~cellwatch")).isFalse();
    }

    @Test
    void aSeriesIsAnnouncedInEveryFrameOfItsFirstFlushAndNeverAfter() throws Exception {
        final Recorder pack = new Recorder();
        final Recorder plant = new Recorder();
        fanout.start();
        watch(pack, "tenants/t1/plants/p1/racks/r1/packs/k1");
        watch(plant, "tenants/t1/plants/p1");

        fixture.publish(voltage, 3.6, 1_000);
        await().atMost(TIMEOUT).until(() -> pack.frames.size() == 1 && plant.frames.size() == 1);
        fixture.publish(voltage, 3.7, 2_000);
        await().atMost(TIMEOUT).until(() -> pack.frames.size() == 2 && plant.frames.size() == 2);

        for (final Recorder recorder : List.of(pack, plant)) {
            assertThat(recorder.frames.get(0).samples()).singleElement()
                    .satisfies(s -> assertThat(s.announce()).isTrue());
            assertThat(recorder.frames.get(1).samples()).singleElement()
                    .satisfies(s -> assertThat(s.announce()).isFalse());
        }
    }

    @Test
    void aCatchUpFrameAnnouncesASeriesWhoseAnnouncingFrameItReplaces() throws Exception {
        fixture.publish(soc, 1, 1_000);
        final DeltaSample announcing = LiveFixture.ENCODER.sample(soc, true);
        fixture.publish(soc, 2, 2_000);
        final DeltaSample newer = LiveFixture.ENCODER.sample(soc, false);
        final DeltaFrame first = new DeltaFrame("tenants/t1", List.of(announcing), ByteBuffer.allocate(0), 1);
        final DeltaFrame second = new DeltaFrame("tenants/t1", List.of(newer), ByteBuffer.allocate(0), 2);

        final List<DeltaFrame> merged = fanout.merge(List.of(first, second), series -> true);

        assertThat(merged).singleElement().satisfies(f -> {
            assertThat(f.samples()).singleElement().satisfies(s -> {
                assertThat(s.announce()).isTrue();
                assertThat(s.utf8()).isEqualTo(newer.utf8());
            });
            assertThat(f.since()).isEqualTo(1);
        });
    }

    @Test
    void clientCommandsBeyondThePendingBoundAreRefusedWhileTheFanoutIsBusy() throws Exception {
        final LiveFixture bounded = new LiveFixture(new LiveSettings(1, 8, 5_000, 20_000, 20, 100, 32, 16, 65_536,
                1_000));
        // Not started: nothing runs the queue, as when the fan-out thread is busy.
        final AtomicInteger ran = new AtomicInteger();
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (bounded.fanout.offer(ran::incrementAndGet)) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(16);

        bounded.fanout.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 16);
            assertThat(bounded.fanout.offer(ran::incrementAndGet)).as("room again once they ran").isTrue();
        } finally {
            bounded.fanout.close();
        }
    }
}
