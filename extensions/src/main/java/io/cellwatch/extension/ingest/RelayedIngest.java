package io.cellwatch.extension.ingest;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicKind;
import io.cellwatch.contract.TopicPath;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;

import java.util.List;

/**
 * A serving node's publish path: publishes an ingest node accepted (and checked against the topic contract, the ACL
 * and the tenant's quotas) arrive from Kafka with their series keys and go to the same sink as a local publish: WAL
 * (with their Kafka position), live view, fleet state and alerts. A gateway's publish relayed twice (it moved to
 * another ingest node and sent it again) is dropped by (tenant, user, client id, seq), in whatever order the copies
 * arrive. For the feed thread only.
 */
public final class RelayedIngest {

    private final SeriesCatalog catalog;
    private final GatewayRegistry gateways;
    private final TopicResolver resolver;
    private final IngestMetrics metrics;
    private final PublishSink sink;

    public RelayedIngest(final SeriesCatalog catalog, final GatewayRegistry gateways, final TopicResolver resolver,
                         final IngestMetrics metrics, final PublishSink sink) {
        this.catalog = catalog;
        this.gateways = gateways;
        this.resolver = resolver;
        this.metrics = metrics;
        this.sink = sink;
    }

    /**
     * Applies one relayed publish.
     *
     * @param seriesKeys series keys as the ingest node stored them, parallel to {@code values}
     * @return the number of samples taken; 0 for a publish relayed before
     * @throws Rejection if a series key breaks this node's topic contract (its settings differ from the ingest
     *                   node's); nothing was taken then
     */
    public int ingest(final GatewayKey key, final long seq, final long ts, final long receivedAt,
                      final String[] seriesKeys, final double[] values, final RelayPosition source) throws Rejection {
        final Gateway gateway = gateways.gateway(key);
        final Series[] series = new Series[seriesKeys.length];
        for (int i = 0; i < series.length; i++) {
            series[i] = seriesOf(seriesKeys[i]);
        }
        if (!gateway.firstRelay(seq)) {
            metrics.duplicate();
            return 0;
        }
        sink.accept(new IngestedPublish(gateway, seq, ts, receivedAt, series, values, source));
        gateway.accepted(seq);
        if (!series[0].node().internal()) {
            metrics.accepted(series.length);
        }
        return series.length;
    }

    private Series seriesOf(final String key) throws Rejection {
        final Series known = catalog.series(key);
        if (known != null) {
            return known;
        }
        final TopicPath path = resolver.resolve(key);
        if (path.kind() != TopicKind.METRIC) {
            throw new Rejection(io.cellwatch.contract.RejectReason.BAD_TOPIC, "relayed series key '" + key
                    + "' is not a metric");
        }
        final List<String> levels = path.levels();
        final SeriesNode node = catalog.internNode(levels.subList(0, levels.size() - 1));
        return catalog.internSeries(node, levels.get(levels.size() - 1));
    }
}
