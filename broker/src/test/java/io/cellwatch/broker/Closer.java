package io.cellwatch.broker;

import java.util.ArrayDeque;
import java.util.Deque;

/** What a test opened along the way, closed last-opened first; a closer can be used again after closing. */
final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Closes {@code resource} at the next {@link #close()}. */
    void add(final AutoCloseable resource) {
        open.push(resource);
    }

    /** Closes everything added since the last close; every one is tried, the first failure is thrown. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (final Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
