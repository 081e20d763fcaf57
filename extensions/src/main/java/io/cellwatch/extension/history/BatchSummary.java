package io.cellwatch.extension.history;

import io.cellwatch.extension.wal.WalEntry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch of WAL entries changes besides the raw samples, worked out in Java in one pass so the database sees
 * one row per (series, bucket), per series and per gateway: new series and gateways, per-minute and per-hour
 * rollups, the newest sample of each series and the highest {@code seq} of each gateway. Not thread-safe.
 */
final class BatchSummary {

    static final long MINUTE_MS = 60_000;
    static final long HOUR_MS = 3_600_000;

    /** The newest sample of one series in the batch; {@code seq} is -1 for none. */
    record Newest(long ts, double value, long receivedAt, long seq) {
    }

    final List<WalEntry.SeriesDefined> series = new ArrayList<>();
    final List<WalEntry.GatewayDefined> gateways = new ArrayList<>();
    final RollupBuffer minutes = new RollupBuffer(MINUTE_MS);
    final RollupBuffer hours = new RollupBuffer(HOUR_MS);
    final Map<Integer, Newest> newest = new HashMap<>();
    final Map<Integer, Long> highestSeq = new HashMap<>();
    int samples;

    static BatchSummary of(final List<WalEntry> batch) {
        final BatchSummary summary = new BatchSummary();
        for (final WalEntry entry : batch) {
            summary.add(entry);
        }
        return summary;
    }

    private void add(final WalEntry entry) {
        if (entry instanceof WalEntry.SeriesDefined defined) {
            series.add(defined);
        } else if (entry instanceof WalEntry.GatewayDefined defined) {
            gateways.add(defined);
        } else if (entry instanceof WalEntry.PublishRecorded publish) {
            add(publish);
        }
    }

    private void add(final WalEntry.PublishRecorded publish) {
        for (int i = 0; i < publish.size(); i++) {
            final int seriesId = publish.seriesIds()[i];
            final double value = publish.values()[i];
            minutes.add(seriesId, publish.ts(), value);
            hours.add(seriesId, publish.ts(), value);
            // Equal timestamps: the later record wins, as in the latest upsert.
            final Newest known = newest.get(seriesId);
            if (known == null || publish.ts() >= known.ts()) {
                newest.put(seriesId, new Newest(publish.ts(), value, publish.receivedAt(), publish.seq()));
            }
        }
        samples += publish.size();
        if (publish.seq() >= 0) {
            highestSeq.merge(publish.gatewayId(), publish.seq(), Math::max);
        }
    }
}
