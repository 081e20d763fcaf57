package io.cellwatch.extension.history;

import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.wal.WalEntry;

import java.util.ArrayList;
import java.util.List;

/** Builds WAL entries for tests, handing out increasing WAL indices across batches. */
final class WalBatch {

    private long nextIndex;
    private List<WalEntry> entries = new ArrayList<>();

    WalBatch(final long firstIndex) {
        this.nextIndex = firstIndex;
    }

    WalBatch() {
        this(100);
    }

    WalBatch series(final int id, final String key) {
        entries.add(new WalEntry.SeriesDefined(nextIndex++, id, key));
        return this;
    }

    WalBatch gateway(final int id, final String clientId) {
        return gateway(id, new GatewayKey("t1", "user-" + clientId, clientId));
    }

    WalBatch gateway(final int id, final GatewayKey key) {
        entries.add(new WalEntry.GatewayDefined(nextIndex++, id, key));
        return this;
    }

    /** One publish of one sample, received 5 ms after {@code ts}. */
    WalBatch sample(final int gatewayId, final long seq, final int seriesId, final long ts, final double value) {
        return publish(gatewayId, seq, ts, new int[]{seriesId}, new double[]{value});
    }

    WalBatch publish(final int gatewayId, final long seq, final long ts, final int[] seriesIds, final double[] values) {
        entries.add(new WalEntry.PublishRecorded(nextIndex++, gatewayId, seq, ts, ts + 5, seriesIds, values));
        return this;
    }

    /** The entries added since the last take; later entries continue the index sequence. */
    List<WalEntry> take() {
        final List<WalEntry> taken = entries;
        entries = new ArrayList<>();
        return taken;
    }
}
