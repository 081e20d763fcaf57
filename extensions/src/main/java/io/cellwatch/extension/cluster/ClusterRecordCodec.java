package io.cellwatch.extension.cluster;

import io.cellwatch.extension.ingest.GatewayKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The binary layout of {@link ClusterRecord}s in Kafka record values. Every value starts with a version byte and a
 * type byte:
 * <pre>
 * 1 'P' publish:       gateway (utf tenant, utf user, utf clientId), long seq, long ts, long receivedAt,
 *                      int n, n × (utf seriesKey, double value)
 * 1 'E' gateway state: gateway, utf state, utf cause, long atMs
 * 1 'M' retained meta: utf topic, int n, n bytes payload (0: cleared)
 * 1 'J' gateway health: gateway, int n, n bytes report (PayloadWriter.gatewayHealth, UTF-8)
 * </pre>
 * Series keys repeat their node's path; the producer compresses batches (lz4), which takes most of that back.
 */
public final class ClusterRecordCodec {

    static final byte VERSION = 1;
    static final byte PUBLISH = 'P';
    static final byte GATEWAY_STATE = 'E';
    static final byte RETAINED_META = 'M';
    static final byte GATEWAY_HEALTH = 'J';

    private ClusterRecordCodec() {
    }

    /** The record's Kafka key: its tenant, UTF-8. */
    public static byte[] key(final ClusterRecord record) {
        final String tenant = record.tenant();
        return (tenant == null ? "" : tenant).getBytes(StandardCharsets.UTF_8);
    }

    /** The record's Kafka value. */
    public static byte[] encode(final ClusterRecord record) {
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            if (record instanceof ClusterRecord.Publish p) {
                out.writeByte(PUBLISH);
                writeGateway(out, p.gateway());
                out.writeLong(p.seq());
                out.writeLong(p.ts());
                out.writeLong(p.receivedAt());
                out.writeInt(p.size());
                for (int i = 0; i < p.size(); i++) {
                    out.writeUTF(p.seriesKeys()[i]);
                    out.writeDouble(p.values()[i]);
                }
            } else if (record instanceof ClusterRecord.GatewayState g) {
                out.writeByte(GATEWAY_STATE);
                writeGateway(out, g.gateway());
                out.writeUTF(g.state());
                out.writeUTF(g.cause());
                out.writeLong(g.atMs());
            } else if (record instanceof ClusterRecord.RetainedMeta m) {
                out.writeByte(RETAINED_META);
                out.writeUTF(m.topic());
                out.writeInt(m.payload().length);
                out.write(m.payload());
            } else if (record instanceof ClusterRecord.GatewayHealthReport h) {
                out.writeByte(GATEWAY_HEALTH);
                writeGateway(out, h.gateway());
                out.writeInt(h.report().length);
                out.write(h.report());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * The record in {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is not a record of a version this node reads
     */
    public static ClusterRecord decode(final byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            final byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("record version " + version + "; this node reads version "
                        + VERSION + " (a newer node exported it: upgrade serving nodes first)");
            }
            final byte type = in.readByte();
            switch (type) {
                case PUBLISH -> {
                    final GatewayKey gateway = readGateway(in);
                    final long seq = in.readLong();
                    final long ts = in.readLong();
                    final long receivedAt = in.readLong();
                    final int n = in.readInt();
                    if (n <= 0 || n > value.length / 10) {
                        throw new IllegalArgumentException("publish of " + n + " samples in " + value.length
                                + " bytes");
                    }
                    final String[] keys = new String[n];
                    final double[] values = new double[n];
                    for (int i = 0; i < n; i++) {
                        keys[i] = in.readUTF();
                        values[i] = in.readDouble();
                    }
                    return new ClusterRecord.Publish(gateway, seq, ts, receivedAt, keys, values);
                }
                case GATEWAY_STATE -> {
                    return new ClusterRecord.GatewayState(readGateway(in), in.readUTF(), in.readUTF(), in.readLong());
                }
                case RETAINED_META -> {
                    final String topic = in.readUTF();
                    final int n = in.readInt();
                    if (n < 0 || n > value.length) {
                        throw new IllegalArgumentException("retained payload of " + n + " bytes in " + value.length);
                    }
                    return new ClusterRecord.RetainedMeta(topic, in.readNBytes(n));
                }
                case GATEWAY_HEALTH -> {
                    final GatewayKey gateway = readGateway(in);
                    final int n = in.readInt();
                    if (n < 0 || n > value.length) {
                        throw new IllegalArgumentException("health report of " + n + " bytes in " + value.length);
                    }
                    return new ClusterRecord.GatewayHealthReport(gateway, in.readNBytes(n));
                }
                default -> throw new IllegalArgumentException("unknown record type " + type);
            }
        } catch (final IOException e) {
            throw new IllegalArgumentException("truncated record of " + value.length + " bytes", e);
        }
    }

    private static void writeGateway(final DataOutputStream out, final GatewayKey gateway) throws IOException {
        out.writeUTF(gateway.tenant());
        out.writeUTF(gateway.user());
        out.writeUTF(gateway.clientId());
    }

    private static GatewayKey readGateway(final DataInputStream in) throws IOException {
        return new GatewayKey(in.readUTF(), in.readUTF(), in.readUTF());
    }
}
