package io.cellwatch.edge.source;

import java.util.List;
import java.util.function.Consumer;

/**
 * Something the gateway polls for samples. A poll never throws for a device problem: it counts and logs it and
 * returns what it could read. Called from one poller thread.
 */
public interface Source extends AutoCloseable {

    /** The source's name in the config, for logs and counters. */
    String name();

    /** Reads every node once, stamped {@code now} (epoch ms). */
    List<NodeReading> poll(long now);

    /** Where a source that notices changes between polls (GPIO) hands them at once; others ignore it. */
    default void onChange(final Consumer<NodeReading> sink) {
    }

    /** Starts what runs beside the polls (connecting, subscriptions); called once, after {@link #onChange}. */
    default void start() {
    }

    /** The source's state and counters for the health line, {@code /metrics} and {@code status}. */
    default SourceHealth health() {
        return SourceHealth.ok(java.util.Map.of("read-errors", readErrors()));
    }

    /** This source's part of the gateway's one-minute health line. */
    default String healthLine() {
        return health().line();
    }

    /** Counters of this kind of source beyond its health, each a {@code /metrics} family of its own. */
    default List<SourceCounter> counters() {
        return List.of();
    }

    /** Polls that failed in whole or in part since start. */
    long readErrors();

    @Override
    void close();
}
