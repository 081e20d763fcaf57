package io.cellwatch.extension.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CommandBudgetTest {

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final CommandBudget budget = new CommandBudget(20, 100, nanos::get);

    @Test
    void aBurstIsTakenAtOnceThenTheRateRefills() {
        for (int i = 0; i < 100; i++) {
            assertThat(budget.take()).as("message %d of the burst", i).isTrue();
        }
        assertThat(budget.take()).isFalse();

        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(budget.take()).as("one token per 50 ms at 20 a second").isTrue();
        assertThat(budget.take()).isFalse();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        nanos.addAndGet(TimeUnit.HOURS.toNanos(1));
        int taken = 0;
        while (budget.take()) {
            taken++;
        }
        assertThat(taken).isEqualTo(100);
    }

    @Test
    void moreRefusalsInARowThanTheBurstMakeTheSocketAbusiveAndAnAcceptedMessageForgivesThem() {
        for (int i = 0; i < 100; i++) {
            assertThat(budget.refusedTooOften()).isFalse();
        }
        budget.accepted();
        for (int i = 0; i < 100; i++) {
            assertThat(budget.refusedTooOften()).isFalse();
        }
        assertThat(budget.refusedTooOften()).isTrue();
    }
}
