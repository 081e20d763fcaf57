package io.cellwatch.extension.ingest;

import io.cellwatch.extension.series.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishHandOffTest {

    private final PublishHandOff handOff = new PublishHandOff(3);

    @Test
    void refusesOffersPastItsCapacityUntilTheConsumerDrains() throws InterruptedException {
        assertThat(handOff.offer(publish(1))).isTrue();
        assertThat(handOff.offer(publish(2))).isTrue();
        assertThat(handOff.offer(publish(3))).isTrue();
        assertThat(handOff.offer(publish(4))).isFalse();
        assertThat(handOff.size()).isEqualTo(3);

        assertThat(handOff.drainTo(new ArrayList<>(), 2, 0, TimeUnit.MILLISECONDS)).isEqualTo(2);

        assertThat(handOff.size()).isEqualTo(1);
        assertThat(handOff.offer(publish(5))).isTrue();
    }

    @Test
    void drainsInTheOrderOfferedAtMostMaxAtATime() throws InterruptedException {
        handOff.offer(publish(1));
        handOff.offer(publish(2));
        handOff.offer(publish(3));
        final List<IngestedPublish> out = new ArrayList<>();

        handOff.drainTo(out, 2, 0, TimeUnit.MILLISECONDS);
        handOff.drainTo(out, 2, 0, TimeUnit.MILLISECONDS);

        assertThat(out).extracting(IngestedPublish::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    @Timeout(5)
    void aWaitingConsumerTakesAPublishOfferedWhileItWaits() throws Exception {
        final List<IngestedPublish> out = new ArrayList<>();
        final CountDownLatch waiting = new CountDownLatch(1);
        final Thread consumer = new Thread(() -> {
            waiting.countDown();
            try {
                handOff.drainTo(out, 10, 4, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        waiting.await();
        handOff.offer(publish(7));
        consumer.join();

        assertThat(out).extracting(IngestedPublish::seq).containsExactly(7L);
    }

    @Test
    void answersNoneWhenNothingComesInTime() throws InterruptedException {
        final List<IngestedPublish> out = new ArrayList<>();

        assertThat(handOff.drainTo(out, 10, 20, TimeUnit.MILLISECONDS)).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    @Timeout(5)
    void anInterruptedConsumerStopsWaiting() throws Exception {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread consumer = new Thread(() -> {
            try {
                handOff.drainTo(new ArrayList<>(), 10, 1, TimeUnit.HOURS);
            } catch (final InterruptedException e) {
                thrown.set(e);
            }
        });
        consumer.start();
        consumer.interrupt();
        consumer.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new PublishHandOff(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    private static IngestedPublish publish(final long seq) {
        return new IngestedPublish(null, seq, seq, seq, new Series[0], new double[0]);
    }
}
