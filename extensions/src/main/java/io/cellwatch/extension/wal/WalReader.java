package io.cellwatch.extension.wal;

import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.RelayPosition;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.List;

/**
 * Reads WAL records in order, starting after a given index. Single-threaded: one reader per consumer thread.
 */
public final class WalReader implements AutoCloseable {

    private final ExcerptTailer tailer;
    private final long afterIndex;

    WalReader(final SingleChronicleQueue queue, final long afterIndex) {
        this.tailer = queue.createTailer();
        this.afterIndex = afterIndex;
        if (afterIndex >= 0) {
            if (!tailer.moveToIndex(afterIndex)) {
                // The checkpointed record's cycle is gone (deleted as already stored): everything left is newer.
                tailer.toStart();
            } else {
                skipOne();
            }
        } else {
            tailer.toStart();
        }
    }

    private void skipOne() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (dc.isPresent()) {
                dc.wire().bytes().readPosition(dc.wire().bytes().readLimit());
            }
        }
    }

    /**
     * Reads up to {@code max} records into {@code out}.
     *
     * @return number of records read; 0 when the reader has caught up with the writers
     */
    public int poll(final int max, final List<WalEntry> out) {
        int read = 0;
        while (read < max) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                // Belt and braces: whatever the tailer's start, a record at or before the checkpoint is never
                // handed out twice.
                if (dc.index() <= afterIndex) {
                    continue;
                }
                out.add(decode(dc.index(), dc.wire().bytes()));
                read++;
            }
        }
        return read;
    }

    private static WalEntry decode(final long index, final Bytes<?> bytes) {
        final byte type = bytes.readByte();
        switch (type) {
            case WalFormat.SERIES:
                return new WalEntry.SeriesDefined(index, bytes.readInt(), bytes.readUtf8());
            case WalFormat.GATEWAY:
                final int id = bytes.readInt();
                final String tenant = bytes.readUtf8();
                final String user = bytes.readUtf8();
                return new WalEntry.GatewayDefined(index, id, new GatewayKey(tenant, user, bytes.readUtf8()));
            case WalFormat.LEGACY_GATEWAY:
                final int legacyId = bytes.readInt();
                return new WalEntry.GatewayDefined(index, legacyId, GatewayKey.anonymous(bytes.readUtf8()));
            case WalFormat.PUBLISH:
            case WalFormat.RELAYED_PUBLISH:
                final int gatewayId = bytes.readInt();
                final long seq = bytes.readLong();
                final long ts = bytes.readLong();
                final long receivedAt = bytes.readLong();
                final int n = (int) bytes.readStopBit();
                final int[] seriesIds = new int[n];
                final double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    seriesIds[i] = bytes.readInt();
                    values[i] = bytes.readDouble();
                }
                final RelayPosition source = type == WalFormat.RELAYED_PUBLISH
                        ? new RelayPosition(bytes.readInt(), bytes.readLong()) : null;
                return new WalEntry.PublishRecorded(index, gatewayId, seq, ts, receivedAt, seriesIds, values, source);
            case WalFormat.GATEWAY_STATE:
                final int changedId = bytes.readInt();
                final String state = bytes.readUtf8();
                final String cause = bytes.readUtf8();
                return new WalEntry.GatewayStateChanged(index, changedId, state, cause, bytes.readLong());
            case WalFormat.ALERT:
                return new WalEntry.AlertChanged(index, bytes.readUtf8(), bytes.readUtf8(), bytes.readUtf8(),
                        bytes.readUtf8(), bytes.readUtf8(), bytes.readUtf8(), bytes.readDouble(), bytes.readLong(),
                        bytes.readUtf8());
            case WalFormat.RETAINED_META:
                final String topic = bytes.readUtf8();
                final byte[] payload = new byte[(int) bytes.readStopBit()];
                bytes.read(payload);
                return new WalEntry.RetainedMeta(index, topic, payload);
            case WalFormat.GATEWAY_HEALTH:
                final int reporterId = bytes.readInt();
                final byte[] report = new byte[(int) bytes.readStopBit()];
                bytes.read(report);
                return new WalEntry.GatewayHealthReported(index, reporterId, report);
            default:
                throw new IllegalStateException("unknown WAL record type " + type + " at index " + index);
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}
