package io.cellwatch.extension.live;

import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveFanoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Gateway GATEWAY = new GatewayRegistry(g -> { }).gateway(GatewayKey.anonymous("gw"));

    private final SeriesCatalog catalog = new SeriesCatalog();
    private final Series voltage = series("tenants/t1/plants/p1/cells/7", "voltage");
    private final Series soc = series("tenants/t1/plants/p1", "soc");
    private final LiveFanout fanout = new LiveFanout(20);

    /** One tick as a subscriber saw it: each changed series with its latest value at that moment. */
    private record Tick(Map<Series, Double> values, List<Series> batch) {
    }

    /** Records every tick it is handed. */
    private static final class Recorder implements LiveSubscriber {
        final List<Tick> ticks = new CopyOnWriteArrayList<>();

        @Override
        public void onTick(final List<Series> changed) {
            ticks.add(new Tick(changed.stream().collect(Collectors.toMap(s -> s, s -> s.latest().value())),
                    List.copyOf(changed)));
        }

        boolean sawChangeOf(final Series series) {
            return ticks.stream().anyMatch(t -> t.batch().contains(series));
        }
    }

    private Series series(final String node, final String metric) {
        final List<String> levels = List.of(node.split("/"));
        return catalog.internSeries(catalog.internNode(levels), metric);
    }

    private static IngestedPublish publish(final Series series, final Sample sample) {
        return new IngestedPublish(GATEWAY, sample.seq(), sample.ts(), sample.receivedAt(), new Series[]{series},
                new double[]{sample.value()});
    }

    private static Sample sample(final double value, final long ts) {
        return new Sample(value, ts, ts, -1);
    }

    @AfterEach
    void closeFanout() {
        fanout.close();
    }

    @Test
    void acceptedSampleAppearsInTheNextTick() {
        final Recorder recorder = new Recorder();
        fanout.subscribe(recorder);
        fanout.start();
        try {
            fanout.accept(publish(voltage, sample(3.67, 1_000)));

            await().atMost(TIMEOUT).until(() -> recorder.sawChangeOf(voltage));
            assertThat(recorder.ticks).filteredOn(t -> t.batch().contains(voltage)).singleElement()
                    .satisfies(t -> assertThat(t.values()).containsEntry(voltage, 3.67));
        } finally {
            fanout.close();
        }
    }

    @Test
    void acceptUpdatesTheLatestSampleOfTheSeries() {
        final Sample sample = sample(3.67, 1_000);

        fanout.accept(publish(voltage, sample));

        assertThat(voltage.latest()).isEqualTo(sample);
    }

    @Test
    void ticksRunWithoutChangesAndHandEmptyBatches() {
        final Recorder recorder = new Recorder();
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> recorder.ticks.size() >= 2);

            assertThat(recorder.ticks).allSatisfy(t -> assertThat(t.batch()).isEmpty());
        } finally {
            fanout.close();
        }
    }

    @Test
    void hundredUpdatesBetweenTicksArriveAsOneEntryWithTheNewestValue() {
        final AtomicBoolean updated = new AtomicBoolean();
        final Recorder recorder = new Recorder();
        // Update from inside a tick, on the fan-out thread: all 100 changes then land between this tick and the next.
        fanout.subscribe(changed -> {
            if (updated.compareAndSet(false, true)) {
                for (int i = 1; i <= 100; i++) {
                    fanout.accept(publish(voltage, sample(i, i)));
                }
            }
        });
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> recorder.sawChangeOf(voltage));

            final Tick tick = recorder.ticks.stream().filter(t -> t.batch().contains(voltage)).findFirst().orElseThrow();
            assertThat(tick.batch()).containsExactly(voltage);
            assertThat(tick.values()).containsEntry(voltage, 100.0);
            assertThat(recorder.ticks).filteredOn(t -> t.batch().contains(voltage)).hasSize(1);
        } finally {
            fanout.close();
        }
    }

    @Test
    void changesOfSeveralSeriesArriveTogether() {
        final AtomicBoolean updated = new AtomicBoolean();
        final Recorder recorder = new Recorder();
        fanout.subscribe(changed -> {
            if (updated.compareAndSet(false, true)) {
                fanout.accept(publish(voltage, sample(3.6, 1)));
                fanout.accept(publish(soc, sample(0.5, 1)));
            }
        });
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> recorder.sawChangeOf(voltage));

            assertThat(recorder.ticks).filteredOn(t -> t.batch().contains(voltage)).singleElement()
                    .satisfies(t -> assertThat(t.batch()).containsExactlyInAnyOrder(voltage, soc));
        } finally {
            fanout.close();
        }
    }

    @Test
    void olderSampleIsNotFannedOut() {
        fanout.accept(publish(voltage, sample(2.0, 2_000)));
        final AtomicBoolean offered = new AtomicBoolean();
        final Recorder recorder = new Recorder();
        fanout.subscribe(changed -> {
            if (offered.compareAndSet(false, true)) {
                fanout.accept(publish(voltage, sample(1.0, 1_000)));
            }
        });
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> recorder.ticks.size() >= 3);

            assertThat(recorder.sawChangeOf(voltage)).isFalse();
            assertThat(voltage.latest().value()).isEqualTo(2.0);
        } finally {
            fanout.close();
        }
    }

    @Test
    void withoutSubscribersChangesDoNotAccumulate() {
        fanout.start();
        try {
            fanout.accept(publish(voltage, sample(3.6, 1_000)));
            fanout.accept(publish(soc, sample(0.5, 1_000)));

            final Recorder recorder = new Recorder();
            fanout.subscribe(recorder);
            await().atMost(TIMEOUT).until(() -> !recorder.ticks.isEmpty());

            assertThat(recorder.ticks.get(0).batch()).isEmpty();
            assertThat(voltage.latest().value()).isEqualTo(3.6);
        } finally {
            fanout.close();
        }
    }

    @Test
    void changesBeforeStartWithoutSubscribersAreNotDeliveredLater() {
        fanout.accept(publish(voltage, sample(3.6, 1_000)));
        final Recorder recorder = new Recorder();
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> !recorder.ticks.isEmpty());

            assertThat(recorder.ticks.get(0).batch()).isEmpty();
        } finally {
            fanout.close();
        }
    }

    @Test
    void failingSubscriberIsDroppedAndOthersKeepTicking() {
        final AtomicInteger failures = new AtomicInteger();
        final Recorder recorder = new Recorder();
        fanout.subscribe(changed -> {
            failures.incrementAndGet();
            throw new IllegalStateException("broken client");
        });
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> recorder.ticks.size() >= 3);

            assertThat(failures).hasValue(1);
            assertThat(fanout.subscriberCount()).isEqualTo(1);
        } finally {
            fanout.close();
        }
    }

    @Test
    void unsubscribedSubscriberGetsNoMoreTicks() {
        final Recorder recorder = new Recorder();
        fanout.subscribe(recorder);
        fanout.start();
        try {
            await().atMost(TIMEOUT).until(() -> !recorder.ticks.isEmpty());
            fanout.unsubscribe(recorder);
            final int seen = recorder.ticks.size();
            // A tick in flight may still complete; after that, nothing.
            await().pollDelay(Duration.ofMillis(100)).atMost(TIMEOUT).until(() -> true);

            assertThat(recorder.ticks.size()).isLessThanOrEqualTo(seen + 1);
            assertThat(fanout.subscriberCount()).isZero();
        } finally {
            fanout.close();
        }
    }

    @Test
    void closeStopsTicksAndDropsSubscribers() {
        final Recorder recorder = new Recorder();
        fanout.subscribe(recorder);
        fanout.start();
        await().atMost(TIMEOUT).until(() -> !recorder.ticks.isEmpty());

        fanout.close();
        final int seen = recorder.ticks.size();
        await().pollDelay(Duration.ofMillis(100)).atMost(TIMEOUT).until(() -> true);

        assertThat(fanout.subscriberCount()).isZero();
        assertThat(recorder.ticks.size()).isLessThanOrEqualTo(seen + 1);
    }

    @Test
    void startAndCloseAreIdempotent() {
        final Recorder recorder = new Recorder();
        fanout.subscribe(recorder);
        fanout.start();
        fanout.start();
        await().atMost(TIMEOUT).until(() -> !recorder.ticks.isEmpty());

        fanout.close();
        fanout.close();

        assertThat(fanout.subscriberCount()).isZero();
    }
}
