package io.cellwatch.extension.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * cellwatch's metrics: owns the Prometheus registry behind {@code /metrics} and makes adding a metric one line that
 * follows the conventions ({@link MetricNames}): counters end in {@code _total}, durations are histograms in seconds,
 * every metric has written help text, variants are labels. Also registers JVM and process metrics and
 * {@code cellwatch_build_info}. Thread-safe; one instance per running extension.
 */
public final class Metrics {

    /** Upper bounds of every latency histogram, in seconds: 0.5 ms to 30 s. */
    static final double[] LATENCY_BOUNDS_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private Metrics() {
    }

    /** A registry with cellwatch's own metrics only (unit tests, benchmarks). */
    public static Metrics create() {
        return new Metrics();
    }

    /** A registry with JVM and process metrics and {@code cellwatch_build_info} for {@code version}. */
    public static Metrics forServer(final String version) {
        final Metrics metrics = new Metrics();
        JvmMetrics.builder().register(metrics.registry);
        final Info build = Info.builder().name("cellwatch_build_info")
                .help("cellwatch version and the Java runtime it runs on; always 1")
                .labelNames("version", "java_version")
                .register(metrics.registry);
        build.setLabelValues(version, System.getProperty("java.version"));
        return metrics;
    }

    /** A counter; {@code name} ends in {@code _total}. */
    public Counter counter(final String name, final String help, final String... labels) {
        MetricNames.check(name, help, MetricNames.Kind.COUNTER);
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    /** A counter read from {@code count} at every scrape (a count kept elsewhere); {@code name} ends in _total. */
    public void counter(final String name, final String help, final LongSupplier count) {
        MetricNames.check(name, help, MetricNames.Kind.COUNTER);
        CounterWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(count.getAsLong()))
                .register(registry);
    }

    /** A gauge that is set. */
    public Gauge gauge(final String name, final String help, final String... labels) {
        MetricNames.check(name, help, MetricNames.Kind.GAUGE);
        return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    /** A gauge read from {@code value} at every scrape; {@code value} must be cheap and never block. */
    public void gauge(final String name, final String help, final DoubleSupplier value) {
        MetricNames.check(name, help, MetricNames.Kind.GAUGE);
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsDouble()))
                .register(registry);
    }

    /**
     * A gauge with one label, read at every scrape: one sample per key of the map {@code values} returns. Only for a
     * label whose values are bounded by configuration (e.g. the tenants of the ACL file), never by client input.
     */
    public void gauge(final String name, final String help, final String label,
                      final Supplier<Map<String, ? extends Number>> values) {
        MetricNames.check(name, help, MetricNames.Kind.GAUGE);
        GaugeWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(callback -> values.get().forEach((key, value) -> callback.call(value.doubleValue(), key)))
                .register(registry);
    }

    /** A latency histogram in seconds (0.5 ms to 30 s buckets); {@code name} ends in {@code _seconds}. */
    public Histogram seconds(final String name, final String help, final String... labels) {
        MetricNames.check(name, help, MetricNames.Kind.SECONDS);
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).labelNames(labels)
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS_SECONDS).register(registry);
    }

    /** Adds a collector that makes its own snapshots (e.g. {@link DropwizardBridge}). */
    public void register(final MultiCollector collector) {
        registry.register(collector);
    }

    /** Seconds from {@code startNanos} (a {@link System#nanoTime()}) to {@code endNanos}. */
    public static double seconds(final long startNanos, final long endNanos) {
        return (endNanos - startNanos) / 1e9;
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Every metric in the Prometheus text format 0.0.4. */
    public byte[] scrape() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
