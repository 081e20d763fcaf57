package io.cellwatch.extension.wal;

import io.cellwatch.extension.ingest.GatewayKey;
import io.cellwatch.extension.ingest.RelayPosition;

/**
 * One record of the write-ahead log, as read back. Every record carries the WAL index it was read at, so a consumer
 * can record how far it got in the same transaction as what it wrote.
 */
public sealed interface WalEntry {

    /** The WAL index of this record. */
    long index();

    /** A series was discovered: from here on, {@code id} means {@code key}. Precedes every sample of the series. */
    record SeriesDefined(long index, int id, String key) implements WalEntry {
    }

    /** A gateway (tenant, user, MQTT client id) first published: from here on, {@code id} means {@code key}. */
    record GatewayDefined(long index, int id, GatewayKey key) implements WalEntry {
    }

    /**
     * One accepted publish: one or more samples sharing gateway, sequence number and time. {@code seriesIds} and
     * {@code values} are parallel and owned by this record.
     *
     * @param seq        the gateway's sequence number, or -1 if it sent none
     * @param ts         device time, epoch milliseconds
     * @param receivedAt server time the publish was accepted, epoch milliseconds
     * @param source     on a serving node, where the publish was in Kafka; else {@code null}
     */
    record PublishRecorded(long index, int gatewayId, long seq, long ts, long receivedAt, int[] seriesIds,
                           double[] values, RelayPosition source) implements WalEntry {

        /** A publish taken on this node's MQTT listener. */
        public PublishRecorded(final long index, final int gatewayId, final long seq, final long ts,
                               final long receivedAt, final int[] seriesIds, final double[] values) {
            this(index, gatewayId, seq, ts, receivedAt, seriesIds, values, null);
        }

        /** Number of samples in this publish. */
        public int size() {
            return seriesIds.length;
        }
    }

    /**
     * A gateway's state changed (online, stale, offline) for {@code cause} at {@code atMs} (server time, epoch ms).
     */
    record GatewayStateChanged(long index, int gatewayId, String state, String cause, long atMs) implements WalEntry {
    }

    /**
     * An alert changed state (raised, acknowledged, cleared) at {@code atMs} (server time, epoch ms); {@code by} is who
     * acknowledged it, else empty.
     */
    record AlertChanged(long index, String tenant, String alertId, String rule, String subject, String severity,
                        String state, double value, long atMs, String by) implements WalEntry {
    }

    /**
     * On an ingest node: a retained {@code meta} publish (a plant's name and location) was accepted, or cleared
     * ({@code payload} empty); exported so serving nodes keep the same retained message. Not history.
     */
    record RetainedMeta(long index, String topic, byte[] payload) implements WalEntry {
    }

    /**
     * On an ingest node: a gateway reported its health ({@code report}: PayloadWriter.gatewayHealth, UTF-8); exported
     * so serving nodes show it with the gateway's state. Not history.
     */
    record GatewayHealthReported(long index, int gatewayId, byte[] report) implements WalEntry {
    }
}
