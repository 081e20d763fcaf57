package io.cellwatch.extension.api;

import java.util.function.LongSupplier;

/**
 * The messages one live socket may send: a token bucket of {@code burst} tokens refilled at {@code perSecond}, and
 * the refusals in a row that make it abusive. Used by the socket's I/O thread only (not thread-safe).
 */
final class CommandBudget {

    private final double perNano;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;
    private int refusedInARow;

    CommandBudget(final int perSecond, final int burst, final LongSupplier nanoTime) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token for one message; false if the socket is over its rate (the message is then refused). */
    boolean take() {
        final long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** A message was accepted: refusals in a row start again from zero. */
    void accepted() {
        refusedInARow = 0;
    }

    /** A message was refused; true once more than {@code burst} were refused in a row (close the socket). */
    boolean refusedTooOften() {
        return ++refusedInARow > burst;
    }
}
