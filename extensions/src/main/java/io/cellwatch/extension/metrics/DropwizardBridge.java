package io.cellwatch.extension.metrics;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Exports HiveMQ's own Dropwizard metrics ({@code Services.metricRegistry()}) by cellwatch's conventions, read at
 * every scrape: names sanitised ({@code com.hivemq.a.b} → {@code com_hivemq_a_b}); a counter that only grows becomes a
 * Prometheus counter ending in {@code _total} (a trailing {@code .count} dropped), one HiveMQ moves both ways (its
 * name ends in {@code .current}) a gauge; a meter a counter; a timer a summary in seconds; a histogram a summary;
 * a numeric gauge a gauge, unless its name ends in {@code .total} (a running total: a counter). Help names the HiveMQ metric it comes from. Thread-safe.
 */
public final class DropwizardBridge implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(DropwizardBridge.class);
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Set<String> RESERVED_SUFFIXES = Set.of("_total", "_created", "_bucket", "_info", "_count",
            "_sum");

    private final MetricRegistry source;
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();

    public DropwizardBridge(final MetricRegistry source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        final List<MetricSnapshot> snapshots = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final Map.Entry<String, Metric> entry : source.getMetrics().entrySet()) {
            final String dropwizardName = entry.getKey();
            if (dropwizardName.startsWith("cellwatch")) {
                continue;
            }
            try {
                final MetricSnapshot snapshot = snapshot(dropwizardName, entry.getValue());
                if (snapshot != null && names.add(snapshot.getMetadata().getPrometheusName())) {
                    snapshots.add(snapshot);
                }
            } catch (final RuntimeException e) {
                if (skipped.add(dropwizardName)) {
                    log.debug("HiveMQ metric {} is not exported: {}", dropwizardName, e.toString());
                }
            }
        }
        return new MetricSnapshots(snapshots);
    }

    private static MetricSnapshot snapshot(final String name, final Metric metric) {
        final String help = "HiveMQ metric " + name;
        if (metric instanceof Timer timer) {
            return summary(sanitize(name) + "_seconds", help + " (timer)", timer, timer.getSnapshot(),
                    NANOS_PER_SECOND, Unit.SECONDS);
        }
        if (metric instanceof Sampling sampling && metric instanceof Counting counting) {
            return summary(safeGauge(sanitize(name)), help + " (histogram)", counting, sampling.getSnapshot(), 1, null);
        }
        if (metric instanceof com.codahale.metrics.Counter counter && name.endsWith(".current")) {
            return gauge(sanitize(name), help + " (current value)", counter.getCount());
        }
        if (metric instanceof Counting counting) {
            return CounterSnapshot.builder().name(counterName(name)).help(help + " (count since start)")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(counting.getCount()).build())
                    .build();
        }
        if (metric instanceof Gauge<?> gauge) {
            final Object value = gauge.getValue();
            if (value instanceof Number number && name.endsWith(".total")) {
                // HiveMQ reads some totals (bytes read and written) through gauges: they only grow.
                return CounterSnapshot.builder().name(counterName(name)).help(help + " (total since start)")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(number.doubleValue())
                                .build())
                        .build();
            }
            if (value instanceof Number number) {
                return gauge(safeGauge(sanitize(name)), help, number.doubleValue());
            }
            if (value instanceof Boolean flag) {
                return gauge(safeGauge(sanitize(name)), help, flag ? 1 : 0);
            }
        }
        return null;
    }

    private static GaugeSnapshot gauge(final String name, final String help, final double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static SummarySnapshot summary(final String name, final String help, final Counting count,
                                           final Snapshot values, final double divisor, final Unit unit) {
        final Quantiles quantiles = Quantiles.builder()
                .quantile(0.5, values.getMedian() / divisor)
                .quantile(0.95, values.get95thPercentile() / divisor)
                .quantile(0.99, values.get99thPercentile() / divisor)
                .build();
        final SummarySnapshot.Builder builder = SummarySnapshot.builder().name(name).help(help);
        if (unit != null) {
            builder.unit(unit);
        }
        return builder.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                        .count(count.getCount()).quantiles(quantiles).labels(Labels.EMPTY).build())
                .build();
    }

    /** The counter's name without {@code _total} (the text format adds it) and without a trailing count word. */
    static String counterName(final String dropwizardName) {
        String name = sanitize(dropwizardName);
        for (final String suffix : List.of("_count", "_total")) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** {@code com.hivemq.a-b.c} → {@code com_hivemq_a_b_c}. */
    static String sanitize(final String dropwizardName) {
        final String name = dropwizardName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("_+", "_").replaceAll("^_|_$", "");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** A gauge or summary may not end in a suffix the text format gives a meaning to. */
    private static String safeGauge(final String name) {
        for (final String suffix : RESERVED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return name + "_value";
            }
        }
        return name;
    }
}
