package io.cellwatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StableChangePollerTest {

    private static final Duration POLL = Duration.ofMillis(5);

    @Test
    void handsOverAChangeOnceItStayedTheSameForOnePoll() {
        AtomicReference<String> file = new AtomicReference<>("v1");
        AtomicInteger polls = new AtomicInteger();
        List<String> changes = new CopyOnWriteArrayList<>();
        StableChangePoller<String> poller = new StableChangePoller<>("test-poller", POLL, "v1", () -> {
            polls.incrementAndGet();
            return file.get();
        }, changes::add);
        try (poller) {
            poller.start();
            file.set("v2");
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.contains("v2"));
            int after = polls.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() > after + 3);

            assertThat(changes).containsExactly("v2");
        }
    }

    @Test
    void neverHandsOverAValueSeenInOnlyOnePoll() {
        AtomicInteger polls = new AtomicInteger();
        List<String> changes = new CopyOnWriteArrayList<>();
        // Every poll sees a different value, as an editor caught mid-write would: none is stable.
        StableChangePoller<String> poller = new StableChangePoller<>("test-poller", POLL, "start",
                () -> "write-" + polls.incrementAndGet(), changes::add);
        try (poller) {
            poller.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() > 20);
        }

        assertThat(changes).isEmpty();
    }

    @Test
    void skipsPollsThatCannotReadAndKeepsComparingWithTheLastRead() {
        AtomicReference<String> file = new AtomicReference<>("v1");
        AtomicInteger polls = new AtomicInteger();
        List<String> changes = new CopyOnWriteArrayList<>();
        // Unreadable (null) on every other poll: v2 is still seen twice in a row among the readable polls.
        StableChangePoller<String> poller = new StableChangePoller<>("test-poller", POLL, "v1",
                () -> polls.incrementAndGet() % 2 == 0 ? null : file.get(), changes::add);
        try (poller) {
            poller.start();
            file.set("v2");
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.contains("v2"));
        }

        assertThat(changes).containsExactly("v2");
    }
}
