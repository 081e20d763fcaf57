package io.cellwatch.extension.ingest;

import io.cellwatch.contract.DeviceClock;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicKind;
import io.cellwatch.contract.TopicPath;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The publish path without broker types: resolves a topic to series, parses the payload and hands each sample to the
 * sink. The payload is checked before any new series is created, so a malformed publish never grows the tree.
 * Thread-safe.
 */
public final class TelemetryIngest {

    private final SeriesCatalog catalog;
    private final TopicResolver resolver;
    private final PayloadParser parser;
    private final GatewayRegistry gateways;
    private final IngestMetrics metrics;
    private final PublishSink sink;

    public TelemetryIngest(final SeriesCatalog catalog, final GatewayRegistry gateways, final TopicResolver resolver,
                           final PayloadParser parser, final IngestMetrics metrics, final PublishSink sink) {
        this.catalog = catalog;
        this.gateways = gateways;
        this.resolver = resolver;
        this.parser = parser;
        this.metrics = metrics;
        this.sink = sink;
    }

    /**
     * Ingests one publish.
     *
     * @param gateway     who publishes: tenant, user and client id
     * @param tsProperty  the MQTT 5 user property {@code ts}, or {@code null}; the payload's own {@code ts} wins
     * @param seqProperty the MQTT 5 user property {@code seq}, or {@code null}; the payload's own {@code seq} wins
     * @return the number of samples accepted; 0 for a topic that is not telemetry or a gateway retry of a publish
     * already accepted (same tenant, user and client id, {@code seq} not above the highest accepted)
     * @throws Rejection if the topic or payload breaks the topic contract; nothing was accepted then
     */
    public int ingest(final GatewayKey gateway, final String topic, final ByteBuffer payload, final String tsProperty,
                      final String seqProperty) throws Rejection {
        final long start = System.nanoTime();
        try {
            final int samples = route(gateway, topic, payload, tsProperty, seqProperty);
            if (samples > 0) {
                metrics.appended(start, System.nanoTime());
            }
            return samples;
        } catch (final Rejection rejection) {
            metrics.rejected(rejection.reason());
            throw rejection;
        }
    }

    /**
     * Ingests the metrics of one node that a mapping rule or Sparkplug B produced from a foreign publish: the same
     * tree, WAL, history and live path as a native node publish to {@code nodeTopic}, without a sequence number.
     *
     * @param nodeTopic a node topic by the topic contract (built by TopicBuilder)
     * @param names     metric names, valid by the contract, parallel to {@code values}
     * @param ts        device time, epoch ms; server time if implausible by the native contract
     * @return the number of samples accepted
     * @throws Rejection if {@code nodeTopic} is not a node topic of the contract; nothing was accepted then
     */
    public int ingestNode(final GatewayKey gateway, final String nodeTopic, final String[] names,
                          final double[] values, final long ts) throws Rejection {
        try {
            if (TopicResolver.isInternal(nodeTopic)) {
                throw new Rejection(RejectReason.BAD_TOPIC, "mapped topic '" + nodeTopic + "' is in the reserved tenant '"
                        + TopicResolver.INTERNAL_TENANT + "'");
            }
            SeriesNode node = catalog.publishedNode(nodeTopic);
            if (node == null) {
                final TopicPath path = resolver.resolve(nodeTopic);
                if (path.kind() != TopicKind.NODE) {
                    throw new Rejection(RejectReason.BAD_TOPIC, "mapped topic '" + nodeTopic + "' is not a node");
                }
                node = catalog.internNode(path.levels());
            }
            final long now = System.currentTimeMillis();
            long stamped = ts;
            if (!DeviceClock.plausible(stamped, now)) {
                metrics.tsReplaced();
                stamped = now;
            }
            final Stamp stamp = new Stamp(gateways.gateway(gateway), stamped, now, ParsedPayload.NO_SEQ);
            final Series[] series = new Series[names.length];
            for (int i = 0; i < names.length; i++) {
                final Series known = node.metric(names[i]);
                series[i] = known != null ? known : catalog.internSeries(node, names[i]);
            }
            return accept(series, values, stamp);
        } catch (final Rejection rejection) {
            metrics.rejected(rejection.reason());
            throw rejection;
        }
    }

    private int route(final GatewayKey gateway, final String topic, final ByteBuffer payload, final String tsProperty,
                      final String seqProperty) throws Rejection {
        final Series known = catalog.series(topic);
        if (known != null) {
            final ParsedPayload parsed = parser.parseMetric(payload);
            final Stamp stamp = stamp(gateway, parsed, tsProperty, seqProperty);
            return isRetry(stamp) ? 0 : accept(known, parsed, stamp);
        }
        final SeriesNode knownNode = catalog.publishedNode(topic);
        if (knownNode != null) {
            final ParsedPayload parsed = parser.parseNode(payload);
            final Stamp stamp = stamp(gateway, parsed, tsProperty, seqProperty);
            return isRetry(stamp) ? 0 : accept(knownNode, parsed, stamp);
        }
        final TopicPath path = resolver.resolve(topic);
        final List<String> levels = path.levels();
        switch (path.kind()) {
            case METRIC -> {
                // Everything that can refuse the publish runs before the tree grows.
                final ParsedPayload parsed = parser.parseMetric(payload);
                final Stamp stamp = stamp(gateway, parsed, tsProperty, seqProperty);
                if (isRetry(stamp)) {
                    return 0;
                }
                final SeriesNode node = catalog.internNode(levels.subList(0, levels.size() - 1));
                return accept(catalog.internSeries(node, levels.get(levels.size() - 1)), parsed, stamp);
            }
            case NODE -> {
                final ParsedPayload parsed = parser.parseNode(payload);
                final Stamp stamp = stamp(gateway, parsed, tsProperty, seqProperty);
                return isRetry(stamp) ? 0 : accept(catalog.internNode(levels), parsed, stamp);
            }
            default -> {
                return 0;
            }
        }
    }

    /** Who sent a publish, when, and with which gateway sequence number. */
    private record Stamp(Gateway gateway, long ts, long receivedAt, long seq) {
    }

    private boolean isRetry(final Stamp stamp) {
        if (stamp.gateway().alreadyAccepted(stamp.seq())) {
            metrics.duplicate();
            return true;
        }
        return false;
    }

    private int accept(final Series series, final ParsedPayload parsed, final Stamp stamp) {
        return accept(new Series[]{series}, parsed.values(), stamp);
    }

    private int accept(final SeriesNode node, final ParsedPayload parsed, final Stamp stamp) {
        final String[] names = parsed.names();
        final Series[] series = new Series[names.length];
        for (int i = 0; i < names.length; i++) {
            final Series known = node.metric(names[i]);
            series[i] = known != null ? known : catalog.internSeries(node, names[i]);
        }
        return accept(series, parsed.values(), stamp);
    }

    private int accept(final Series[] series, final double[] values, final Stamp stamp) {
        sink.accept(new IngestedPublish(stamp.gateway(), stamp.seq(), stamp.ts(), stamp.receivedAt(), series,
                values));
        stamp.gateway().accepted(stamp.seq());
        // The synthetic probe counts its own samples (cellwatch_probe_*); the ingest counters count devices'.
        if (!series[0].node().internal()) {
            metrics.accepted(series.length);
        }
        return series.length;
    }

    private Stamp stamp(final GatewayKey gateway, final ParsedPayload parsed, final String tsProperty,
                        final String seqProperty) throws Rejection {
        long seq = parsed.seq();
        if (seq == ParsedPayload.NO_SEQ && seqProperty != null) {
            seq = PayloadParser.parseSeq(seqProperty);
        }
        final long now = System.currentTimeMillis();
        long ts = parsed.ts();
        if (ts == ParsedPayload.NO_TS && tsProperty != null) {
            ts = PayloadParser.parseTs(tsProperty);
        }
        if (!DeviceClock.plausible(ts, now)) {
            metrics.tsReplaced();
            ts = now;
        }
        return new Stamp(gateways.gateway(gateway), ts, now, seq);
    }

    /** Counts an empty retained publish let through to clear a topic's retained message: not a sample. */
    void retainedCleared() {
        metrics.retainedCleared();
    }

    /** Counts a publish refused by a defect rather than by the contract. */
    void internalError() {
        metrics.rejected(RejectReason.INTERNAL);
    }
}
