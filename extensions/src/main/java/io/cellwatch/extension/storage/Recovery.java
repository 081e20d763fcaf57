package io.cellwatch.extension.storage;

import io.cellwatch.extension.history.HistoryWriter;
import io.cellwatch.extension.ingest.Gateway;
import io.cellwatch.extension.ingest.GatewayRegistry;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.wal.Wal;
import io.cellwatch.extension.wal.WalEntry;
import io.cellwatch.extension.wal.WalReader;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Rebuilds the in-memory state after a restart or crash: DuckDB holds everything up to its checkpoint; the WAL
 * holds the rest. Afterwards the tree, the latest values and each gateway's highest seq are as they were when the
 * last publish was acknowledged.
 */
final class Recovery {

    private final HistoryWriter writer;
    private final Wal wal;

    Recovery(final HistoryWriter writer, final Wal wal) {
        this.writer = writer;
        this.wal = wal;
    }

    private final Map<Integer, Long> feedPositions = new HashMap<>();

    /** Per Kafka partition, the offset after the last relayed publish stored (DuckDB or WAL); after {@link #run}. */
    Map<Integer, Long> feedPositions() {
        return feedPositions;
    }

    /**
     * @param relayedSinceMs on a serving node, rebuild each gateway's relayed seqs from samples received since then;
     *                       {@link Long#MAX_VALUE} on other nodes
     */
    RecoveryReport run(final SeriesCatalog catalog, final GatewayRegistry gateways, final long relayedSinceMs)
            throws SQLException {
        final long started = System.currentTimeMillis();
        final long checkpoint = writer.checkpoint();
        writer.forEachSeries(catalog::restore);
        writer.forEachGateway(gateways::restore);
        writer.forEachLatest((seriesId, ts, value, receivedAt, seq) -> {
            final Series series = catalog.byId(seriesId);
            if (series != null) {
                series.offer(new Sample(value, ts, receivedAt, seq));
            }
        });
        feedPositions.putAll(writer.feedPositions());
        if (relayedSinceMs != Long.MAX_VALUE) {
            writer.forEachSeqRange(relayedSinceMs, (gatewayId, from, to) -> {
                final Gateway gateway = gateways.byId(gatewayId);
                if (gateway != null) {
                    gateway.relayed(from, to);
                }
            });
        }
        long replayed = 0;
        final List<WalEntry> batch = new ArrayList<>();
        try (WalReader reader = wal.readerAfter(checkpoint)) {
            while (reader.poll(10_000, batch) > 0) {
                for (final WalEntry entry : batch) {
                    replay(entry, catalog, gateways);
                    if (entry instanceof WalEntry.PublishRecorded p && p.source() != null) {
                        feedPositions.merge(p.source().partition(), p.source().offset() + 1, Math::max);
                        if (p.seq() >= 0) {
                            gateways.byId(p.gatewayId()).relayed(p.seq(), p.seq());
                        }
                    }
                }
                replayed += batch.size();
                batch.clear();
            }
        }
        return new RecoveryReport(catalog.size(), gateways.size(), replayed, checkpoint,
                System.currentTimeMillis() - started);
    }

    private static void replay(final WalEntry entry, final SeriesCatalog catalog, final GatewayRegistry gateways) {
        if (entry instanceof WalEntry.SeriesDefined s) {
            catalog.restore(s.id(), s.key());
        } else if (entry instanceof WalEntry.GatewayDefined g) {
            gateways.restore(g.id(), g.key(), -1);
        } else if (entry instanceof WalEntry.PublishRecorded p) {
            final Gateway gateway = gateways.byId(p.gatewayId());
            if (gateway != null) {
                gateway.accepted(p.seq());
            }
            for (int i = 0; i < p.size(); i++) {
                final Series series = catalog.byId(p.seriesIds()[i]);
                if (series != null) {
                    series.offer(new Sample(p.values()[i], p.ts(), p.receivedAt(), p.seq()));
                }
            }
        }
    }
}
