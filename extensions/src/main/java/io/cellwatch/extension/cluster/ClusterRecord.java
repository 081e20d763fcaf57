package io.cellwatch.extension.cluster;

import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.ingest.GatewayKey;

/**
 * What an ingest node exports to Kafka and a serving node consumes: self-describing (series and gateways by key, not
 * by a node's own compact ids), so any serving node can apply a record from any ingest node. Immutable.
 */
public sealed interface ClusterRecord {

    /** The tenant the record belongs to: its Kafka key, so one tenant's records share a partition and keep order. */
    String tenant();

    /**
     * One accepted publish: samples sharing gateway, sequence number and time; {@code seriesKeys} and {@code values}
     * are parallel and owned by this record.
     *
     * @param seq        the gateway's sequence number, or -1 if it sent none
     * @param ts         device time, epoch ms
     * @param receivedAt when the ingest node accepted it, epoch ms
     */
    record Publish(GatewayKey gateway, long seq, long ts, long receivedAt, String[] seriesKeys, double[] values)
            implements ClusterRecord {

        /** The tenant of the samples' series (a mapped or Sparkplug publish may come from another tenant's user). */
        @Override
        public String tenant() {
            return TopicResolver.tenantOf(seriesKeys[0]);
        }

        /** Number of samples. */
        public int size() {
            return seriesKeys.length;
        }
    }

    /** A gateway's state changed on its ingest node (online, stale, offline) for {@code cause} at {@code atMs}. */
    record GatewayState(GatewayKey gateway, String state, String cause, long atMs) implements ClusterRecord {

        @Override
        public String tenant() {
            return gateway.tenant();
        }
    }

    /** A gateway reported its health on its ingest node ({@code report}: PayloadWriter.gatewayHealth, UTF-8). */
    record GatewayHealthReport(GatewayKey gateway, byte[] report) implements ClusterRecord {

        @Override
        public String tenant() {
            return gateway.tenant();
        }
    }

    /** A retained {@code meta} message (a plant's name and location) was set on {@code topic}, or cleared (empty). */
    record RetainedMeta(String topic, byte[] payload) implements ClusterRecord {

        @Override
        public String tenant() {
            return TopicResolver.tenantOf(topic);
        }
    }
}
