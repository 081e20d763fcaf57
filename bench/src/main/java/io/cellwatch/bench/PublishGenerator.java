package io.cellwatch.bench;

import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.IngestedPublish;
import io.cellwatch.extension.ingest.PublishSink;

/**
 * Appends node publishes (3 samples each) to a sink, cycling through every cell of the fleet, as a broker thread
 * would after parsing. Each publish carries a global ordinal as its {@code seq} (so it rises per gateway, as a real
 * gateway's does), and device time = server time = now. Publishes reach the WAL in ordinal order because one thread
 * appends them all. Not thread-safe: one generator, one thread.
 */
final class PublishGenerator {

    private final PackFleet fleet;
    private final PublishSink sink;
    private long nextOrdinal;
    private int nextCell;

    PublishGenerator(final PackFleet fleet, final PublishSink sink) {
        this.fleet = fleet;
        this.sink = sink;
    }

    /**
     * Appends one publish. If {@code recorder} is given, the time just before the append is noted for the
     * publish's ordinal first (that is the publish's {@code receivedAt}, in nanoseconds).
     */
    void publish(final LagRecorder recorder) {
        final long ordinal = nextOrdinal++;
        final int cell = nextCell;
        nextCell = cell + 1 == fleet.cells() ? 0 : cell + 1;
        // Plausible, varying values; no Random, so the generator costs next to nothing.
        final double[] values = {3.55 + (ordinal & 127) * 0.001, 24.0 + (ordinal & 63) * 0.1,
                0.40 + (ordinal & 255) * 0.002};
        if (recorder != null) {
            recorder.appending(ordinal, System.nanoTime());
        }
        final long now = System.currentTimeMillis();
        final Gateway gateway = fleet.gateway(cell);
        sink.accept(new IngestedPublish(gateway, ordinal, now, now, fleet.series(cell), values));
        gateway.accepted(ordinal);
    }

    /** The ordinal the next publish will get; every lower one is appended. */
    long nextOrdinal() {
        return nextOrdinal;
    }
}
