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
    // One lookup per sample: the series' current buckets and newest sample so far (a batch mostly stays in one bucket).
    private final Map<Integer, InBatch> bySeries = new HashMap<>();

    /** One series within the batch. */
    private static final class InBatch {
        long minute = Long.MIN_VALUE;
        Rollup minuteRollup;
        long hour = Long.MIN_VALUE;
        Rollup hourRollup;
        long ts = Long.MIN_VALUE;
        double value;
        long receivedAt;
        long seq;
    }

    /**
     * Drops latest values, and with them the rollups ({@link Staging} merges both only with latest values): an ingest
     * node keeps only series, gateways and their highest seq.
     */
    void keepDefinitionsOnly() {
        newest.clear();
    }

    static BatchSummary of(final List<WalEntry> batch) {
        final BatchSummary summary = new BatchSummary();
        for (final WalEntry entry : batch) {
            summary.add(entry);
        }
        summary.bySeries.forEach((id, s) -> summary.newest.put(id, new Newest(s.ts, s.value, s.receivedAt, s.seq)));
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
        final long ts = publish.ts();
        final long minute = minutes.bucket(ts);
        final long hour = hours.bucket(ts);
        for (int i = 0; i < publish.size(); i++) {
            final int seriesId = publish.seriesIds()[i];
            final double value = publish.values()[i];
            final InBatch s = bySeries.computeIfAbsent(seriesId, id -> new InBatch());
            if (s.minute != minute) {
                s.minute = minute;
                s.minuteRollup = minutes.rollup(seriesId, minute);
            }
            s.minuteRollup.add(ts, value);
            if (s.hour != hour) {
                s.hour = hour;
                s.hourRollup = hours.rollup(seriesId, hour);
            }
            s.hourRollup.add(ts, value);
            // Equal timestamps: the later record wins, as in the latest upsert.
            if (ts >= s.ts) {
                s.ts = ts;
                s.value = value;
                s.receivedAt = publish.receivedAt();
                s.seq = publish.seq();
            }
        }
        samples += publish.size();
        if (publish.seq() >= 0) {
            highestSeq.merge(publish.gatewayId(), publish.seq(), Math::max);
        }
    }
}
