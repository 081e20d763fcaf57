package io.cellwatch.extension.history;

import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.wal.WalEntry;

import java.util.ArrayList;
import java.util.List;

/** Builds WAL entries for tests, handing out increasing WAL indices across batches. */
public final class WalBatch {

    private long nextIndex;
    private List<WalEntry> entries = new ArrayList<>();

    public WalBatch(final long firstIndex) {
        this.nextIndex = firstIndex;
    }

    public WalBatch() {
        this(100);
    }

    public WalBatch series(final int id, final String key) {
        entries.add(new WalEntry.SeriesDefined(nextIndex++, id, key));
        return this;
    }

    public WalBatch gateway(final int id, final String clientId) {
        return gateway(id, new GatewayKey("t1", "user-" + clientId, clientId));
    }

    public WalBatch gateway(final int id, final GatewayKey key) {
        entries.add(new WalEntry.GatewayDefined(nextIndex++, id, key));
        return this;
    }

    /** One publish of one sample, received 5 ms after {@code ts}. */
    public WalBatch sample(final int gatewayId, final long seq, final int seriesId, final long ts, final double value) {
        return publish(gatewayId, seq, ts, new int[]{seriesId}, new double[]{value});
    }

    public WalBatch publish(final int gatewayId, final long seq, final long ts, final int[] seriesIds, final double[] values) {
        entries.add(new WalEntry.PublishRecorded(nextIndex++, gatewayId, seq, ts, ts + 5, seriesIds, values));
        return this;
    }

    /** The entries added since the last take; later entries continue the index sequence. */
    public List<WalEntry> take() {
        final List<WalEntry> taken = entries;
        entries = new ArrayList<>();
        return taken;
    }
}
