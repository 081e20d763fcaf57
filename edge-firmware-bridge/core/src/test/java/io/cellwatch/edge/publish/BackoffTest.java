package io.cellwatch.edge.publish;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void ceilingDoublesPerAttemptUpToTheMaximum() {
        final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), n -> 0);

        assertThat(List.of(0, 1, 2, 5, 6, 7, 40)).extracting(backoff::ceilingMs)
                .containsExactly(1000L, 2000L, 4000L, 32000L, 60000L, 60000L, 60000L);
    }

    @Test
    void delayIsUniformBetweenZeroAndTheCeilingSoAFleetSpreadsOut() {
        final Random random = new Random(7);
        final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60),
                n -> random.nextLong(n));
        final List<Long> delays = new ArrayList<>();
        for (int gateway = 0; gateway < 1000; gateway++) {
            delays.add(backoff.delayMs(3));
        }

        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0L, 8000L));
        assertThat(delays.stream().filter(d -> d < 2000).count()).isBetween(150L, 350L);
        assertThat(delays.stream().filter(d -> d >= 6000).count()).isBetween(150L, 350L);
    }
}
