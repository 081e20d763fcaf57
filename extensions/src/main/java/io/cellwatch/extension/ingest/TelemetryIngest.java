package io.cellwatch.extension.ingest;

import io.cellwatch.extension.contract.ParsedPayload;
import io.cellwatch.extension.contract.PayloadParser;
import io.cellwatch.extension.contract.RejectReason;
import io.cellwatch.extension.contract.Rejection;
import io.cellwatch.extension.contract.TopicPath;
import io.cellwatch.extension.contract.TopicResolver;
import io.cellwatch.extension.series.Sample;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;

import java.nio.ByteBuffer;

/**
 * The publish path without broker types: resolves a topic to series, parses the payload and hands each sample to the
 * sink. The payload is checked before any new series is created, so a malformed publish never grows the tree.
 * Thread-safe.
 */
public final class TelemetryIngest {

    private final SeriesCatalog catalog;
    private final TopicResolver resolver;
    private final PayloadParser parser;
    private final IngestMetrics metrics;
    private final SampleSink sink;

    public TelemetryIngest(final SeriesCatalog catalog, final TopicResolver resolver, final PayloadParser parser,
                           final IngestMetrics metrics, final SampleSink sink) {
        this.catalog = catalog;
        this.resolver = resolver;
        this.parser = parser;
        this.metrics = metrics;
        this.sink = sink;
    }

    /**
     * Ingests one publish.
     *
     * @param gateway     the publishing client's id
     * @param tsProperty  the MQTT 5 user property {@code ts}, or {@code null}; the payload's own {@code ts} wins
     * @param seqProperty the MQTT 5 user property {@code seq}, or {@code null}; the payload's own {@code seq} wins
     * @return the number of samples accepted; 0 for a topic that is not telemetry
     * @throws Rejection if the topic or payload breaks the topic contract; nothing was accepted then
     */
    public int ingest(final String gateway, final String topic, final ByteBuffer payload, final String tsProperty,
                      final String seqProperty) throws Rejection {
        try {
            return route(gateway, topic, payload, tsProperty, seqProperty);
        } catch (final Rejection rejection) {
            metrics.rejected(rejection.reason());
            throw rejection;
        }
    }

    private int route(final String gateway, final String topic, final ByteBuffer payload, final String tsProperty,
                      final String seqProperty) throws Rejection {
        final Series known = catalog.series(topic);
        if (known != null) {
            return acceptMetric(known, parser.parseMetric(payload), gateway, tsProperty, seqProperty);
        }
        final SeriesNode knownNode = catalog.node(topic);
        if (knownNode != null) {
            return acceptNode(knownNode, parser.parseNode(payload), gateway, tsProperty, seqProperty);
        }
        final TopicPath path = resolver.resolve(topic);
        switch (path.kind()) {
            case METRIC -> {
                final ParsedPayload parsed = parser.parseMetric(payload);
                final int last = path.levels().size() - 1;
                final SeriesNode node = catalog.internNode(path.levels().subList(0, last));
                return acceptMetric(catalog.internSeries(node, path.levels().get(last)), parsed, gateway,
                        tsProperty, seqProperty);
            }
            case NODE -> {
                final ParsedPayload parsed = parser.parseNode(payload);
                return acceptNode(catalog.internNode(path.levels()), parsed, gateway, tsProperty, seqProperty);
            }
            default -> {
                return 0;
            }
        }
    }

    private int acceptMetric(final Series series, final ParsedPayload parsed, final String gateway,
                             final String tsProperty, final String seqProperty) throws Rejection {
        final Sample sample = sample(parsed.values()[0], parsed, tsProperty, seqProperty);
        sink.accept(series, sample, gateway);
        metrics.accepted(1);
        return 1;
    }

    private int acceptNode(final SeriesNode node, final ParsedPayload parsed, final String gateway,
                           final String tsProperty, final String seqProperty) throws Rejection {
        final String[] names = parsed.names();
        final double[] values = parsed.values();
        final long seq = seq(parsed, seqProperty);
        final long now = System.currentTimeMillis();
        final long ts = ts(parsed, tsProperty, now);
        for (int i = 0; i < names.length; i++) {
            Series series = node.metric(names[i]);
            if (series == null) {
                series = catalog.internSeries(node, names[i]);
            }
            sink.accept(series, new Sample(values[i], ts, now, seq), gateway);
        }
        metrics.accepted(names.length);
        return names.length;
    }

    private Sample sample(final double value, final ParsedPayload parsed, final String tsProperty,
                          final String seqProperty) throws Rejection {
        final long now = System.currentTimeMillis();
        return new Sample(value, ts(parsed, tsProperty, now), now, seq(parsed, seqProperty));
    }

    private long ts(final ParsedPayload parsed, final String tsProperty, final long now) {
        long ts = parsed.ts();
        if (ts == ParsedPayload.NO_TS && tsProperty != null) {
            ts = PayloadParser.parseTs(tsProperty);
        }
        if (DeviceClock.plausible(ts, now)) {
            return ts;
        }
        metrics.tsReplaced();
        return now;
    }

    private static long seq(final ParsedPayload parsed, final String seqProperty) throws Rejection {
        if (parsed.seq() != ParsedPayload.NO_SEQ || seqProperty == null) {
            return parsed.seq();
        }
        return PayloadParser.parseSeq(seqProperty);
    }

    /** Counts a publish refused by a defect rather than by the contract. */
    void internalError() {
        metrics.rejected(RejectReason.INTERNAL);
    }
}
