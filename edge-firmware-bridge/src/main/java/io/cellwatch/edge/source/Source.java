package io.cellwatch.edge.source;

import java.util.List;

/**
 * Something the gateway polls for samples. A poll never throws for a device problem: it counts and logs it and
 * returns what it could read. Called from one poller thread.
 */
public interface Source extends AutoCloseable {

    /** The source's name in the config, for logs and counters. */
    String name();

    /** Reads every node once, stamped {@code now} (epoch ms). */
    List<NodeReading> poll(long now);

    /** Polls that failed in whole or in part since start. */
    long readErrors();

    @Override
    void close();
}
