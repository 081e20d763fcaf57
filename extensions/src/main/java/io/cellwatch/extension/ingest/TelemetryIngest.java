package io.cellwatch.extension.ingest;

import io.cellwatch.contract.DeviceClock;
import io.cellwatch.contract.GatewayHealth;
import io.cellwatch.contract.ParsedPayload;
import io.cellwatch.contract.PayloadParser;
import io.cellwatch.contract.RejectReason;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicKind;
import io.cellwatch.contract.TopicPath;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.quota.RetainedLedger;
import io.cellwatch.extension.quota.TenantQuota;
import io.cellwatch.extension.quota.TenantQuotas;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The publish path without broker types: resolves a topic to series, parses the payload and hands each sample to the
 * sink. The payload and the tenant's quotas ({@link TenantQuotas}: series, new series per minute, metrics per payload)
 * are checked before any new series is created, so a refused publish never grows the tree, not even in part.
 * Thread-safe.
 */
public final class TelemetryIngest {

    private final SeriesCatalog catalog;
    private final TopicResolver resolver;
    private final PayloadParser parser;
    private final GatewayRegistry gateways;
    private final IngestMetrics metrics;
    private final PublishSink sink;
    private final TenantQuotas quotas;
    private final RetainedMetaSink retainedMeta;
    private final HealthSink health;

    /** Where the gateways' accepted health reports go (the fleet state). */
    @FunctionalInterface
    public interface HealthSink {

        /** Nowhere (tools, tests and benchmarks). */
        HealthSink NONE = (gateway, report) -> { };

        /** {@code gateway} reported {@code report} for itself (broker thread: must not block). */
        void reported(GatewayKey gateway, GatewayHealth report);
    }

    /** Where accepted retained {@code meta} publishes (and their clears) go besides the broker's retained store. */
    @FunctionalInterface
    public interface RetainedMetaSink {

        /** Nowhere: the broker's retained store is all (a single node). */
        RetainedMetaSink NONE = (topic, payload) -> { };

        /** A retained {@code meta} publish was accepted to {@code topic}; {@code payload} empty: it was cleared. */
        void retained(String topic, byte[] payload);
    }

    /** A publish path without quotas (tools, tests and benchmarks). */
    public TelemetryIngest(final SeriesCatalog catalog, final GatewayRegistry gateways, final TopicResolver resolver,
                           final PayloadParser parser, final IngestMetrics metrics, final PublishSink sink) {
        this(catalog, gateways, resolver, parser, metrics, sink, TenantQuotas.unlimited());
    }

    /** A publish path that holds every tenant to its {@code quotas}. */
    public TelemetryIngest(final SeriesCatalog catalog, final GatewayRegistry gateways, final TopicResolver resolver,
                           final PayloadParser parser, final IngestMetrics metrics, final PublishSink sink,
                           final TenantQuotas quotas) {
        this(catalog, gateways, resolver, parser, metrics, sink, quotas, RetainedMetaSink.NONE);
    }

    /** As above, with accepted retained {@code meta} publishes also handed to {@code retainedMeta} (an ingest node). */
    public TelemetryIngest(final SeriesCatalog catalog, final GatewayRegistry gateways, final TopicResolver resolver,
                           final PayloadParser parser, final IngestMetrics metrics, final PublishSink sink,
                           final TenantQuotas quotas, final RetainedMetaSink retainedMeta) {
        this(catalog, gateways, resolver, parser, metrics, sink, quotas, retainedMeta, HealthSink.NONE);
    }

    /** As above, with the gateways' health reports handed to {@code health}. */
    public TelemetryIngest(final SeriesCatalog catalog, final GatewayRegistry gateways, final TopicResolver resolver,
                           final PayloadParser parser, final IngestMetrics metrics, final PublishSink sink,
                           final TenantQuotas quotas, final RetainedMetaSink retainedMeta, final HealthSink health) {
        this.health = health;
        this.retainedMeta = retainedMeta;
        this.quotas = quotas;
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
        if (TopicResolver.gatewayHealthClientId(topic) != null) {
            // Its client id was checked against the publisher's by the interceptor.
            return healthReport(gateway, payload);
        }
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
            checkMetrics(gateway, names.length);
            final SeriesNode node = catalog.publishedNode(nodeTopic);
            List<String> levels = null;
            if (node == null) {
                final TopicPath path = resolver.resolve(nodeTopic);
                if (path.kind() != TopicKind.NODE) {
                    throw new Rejection(RejectReason.BAD_TOPIC, "mapped topic '" + nodeTopic + "' is not a node");
                }
                levels = path.levels();
            }
            final Series[] series = seriesOf(node, levels, names);
            final long now = System.currentTimeMillis();
            long stamped = ts;
            if (!DeviceClock.plausible(stamped, now)) {
                metrics.tsReplaced();
                stamped = now;
            }
            final Stamp stamp = new Stamp(gateways.gateway(gateway), stamped, now, ParsedPayload.NO_SEQ);
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
            checkMetrics(gateway, parsed.names().length);
            final Stamp stamp = stamp(gateway, parsed, tsProperty, seqProperty);
            return isRetry(stamp) ? 0 : accept(seriesOf(knownNode, null, parsed.names()), parsed.values(), stamp);
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
                final Series[] series = seriesOf(catalog.publishedNode(topic.substring(0, topic.lastIndexOf('/'))),
                        levels.subList(0, levels.size() - 1), new String[]{levels.get(levels.size() - 1)});
                return accept(series, parsed.values(), stamp);
            }
            case NODE -> {
                final ParsedPayload parsed = parser.parseNode(payload);
                checkMetrics(gateway, parsed.names().length);
                final Stamp stamp = stamp(gateway, parsed, tsProperty, seqProperty);
                return isRetry(stamp) ? 0 : accept(seriesOf(null, levels, parsed.names()), parsed.values(), stamp);
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

    /**
     * The series {@code names} of {@code node} (or, if {@code null}, of the node at {@code levels}, made with it). New
     * series are made only if the tenant's quota has room for all of them: a refused publish adds nothing.
     */
    private Series[] seriesOf(final SeriesNode node, final List<String> levels, final String[] names)
            throws Rejection {
        final Series[] series = new Series[names.length];
        int fresh = 0;
        for (int i = 0; i < names.length; i++) {
            series[i] = node == null ? null : node.metric(names[i]);
            if (series[i] == null) {
                fresh++;
            }
        }
        if (fresh == 0) {
            return series;
        }
        final TenantQuota quota = quotas.of(node != null ? TopicResolver.tenantOf(node.path()) : levels.get(1));
        quota.admitSeries(fresh);
        try {
            final SeriesNode into = node != null ? node : catalog.internNode(levels);
            for (int i = 0; i < names.length; i++) {
                if (series[i] == null) {
                    series[i] = catalog.internSeries(into, names[i]);
                }
            }
            return series;
        } finally {
            quota.settleSeries(fresh);
        }
    }

    /** Refuses a node payload with more metrics than the publisher's tenant may send at once. */
    private void checkMetrics(final GatewayKey gateway, final int metrics) throws Rejection {
        if (!quotas.withinEveryMetricsLimit(metrics)) {
            quotas.of(gateway.tenant()).checkMetrics(metrics);
        }
    }

    /** The quota of the tenant {@code gateway} belongs to (its payload size limit, held by its interceptor). */
    TenantQuota quotaOf(final GatewayKey gateway) {
        return quotas.of(gateway.tenant());
    }

    /**
     * Charges a retained publish of {@code payloadBytes} to {@code topic} to the tenant that holds it (the topic's,
     * or the publisher's for a topic outside {@code tenants/}), or refuses it over that tenant's retained quota.
     */
    RetainedLedger.Charge chargeRetained(final TenantQuota publisher, final String topic, final int payloadBytes)
            throws Rejection {
        try {
            return quotas.retained().charge(quotas.retainedHolder(topic, publisher), topic,
                    RetainedLedger.sizeOf(topic, payloadBytes));
        } catch (final Rejection rejection) {
            metrics.rejected(rejection.reason());
            throw rejection;
        }
    }

    /**
     * Refuses a payload of {@code bytes} over the payload size limit of the publisher's tenant, on any topic (telemetry,
     * reserved names such as {@code meta}, foreign topics).
     */
    void checkPayload(final TenantQuota publisher, final int bytes) throws Rejection {
        try {
            publisher.checkPayload(bytes);
        } catch (final Rejection rejection) {
            metrics.rejected(rejection.reason());
            throw rejection;
        }
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

    /** Counts an empty retained publish let through to clear {@code topic}'s retained message: not a sample. */
    void retainedCleared(final String topic) {
        quotas.retained().cleared(topic);
        metrics.retainedCleared();
        if (TopicResolver.isMeta(topic)) {
            retainedMeta.retained(topic, new byte[0]);
        }
    }

    /** A retained publish to {@code topic} was accepted (after {@link #ingest}); hands a {@code meta} one on. */
    void retainedAccepted(final String topic, final ByteBuffer payload) {
        if (TopicResolver.isMeta(topic) && payload != null) {
            final byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            retainedMeta.retained(topic, bytes);
        }
    }

    /**
     * A gateway's own health report: read within its bounds (at most 16 KiB, in memory, so it may be parsed on the
     * broker thread) and handed on; not a sample.
     */
    private int healthReport(final GatewayKey gateway, final ByteBuffer payload) throws Rejection {
        final GatewayHealth report;
        try {
            report = GatewayHealth.parse(payload == null ? ByteBuffer.allocate(0) : payload);
        } catch (final Rejection rejection) {
            metrics.healthReport(rejection.reason() == RejectReason.OVERSIZE ? "oversize" : "bad_json");
            throw rejection;
        }
        metrics.healthReport("accepted");
        health.reported(gateway, report);
        return 0;
    }

    /** A health report to another client id's topic was refused (by the interceptor): counted here. */
    void foreignHealthReport() {
        metrics.healthReport("foreign_client_id");
    }

    /** Counts a publish refused by a defect rather than by the contract. */
    void internalError() {
        metrics.rejected(RejectReason.INTERNAL);
    }
}
