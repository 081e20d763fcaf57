package io.cellwatch.edge.health;

import io.cellwatch.edge.buffer.DiskBuffer;
import io.cellwatch.edge.publish.LinkState;
import io.cellwatch.edge.publish.PublishStats;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceCounter;
import io.cellwatch.edge.source.SourceHealth;
import io.cellwatch.edge.source.SourceProblem;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gateway's counters as Prometheus metrics, read at scrape time, with each source's own counter families
 * ({@link Source#counters()}). Thread-safe.
 */
public final class GatewayCollector implements MultiCollector {

    private final DiskBuffer buffer;
    private final PublishStats stats;
    private final Supplier<LinkState> link;
    private final Supplier<List<Source>> sources;

    public GatewayCollector(final DiskBuffer buffer, final PublishStats stats, final Supplier<LinkState> link,
                            final Supplier<List<Source>> sources) {
        this.buffer = buffer;
        this.stats = stats;
        this.link = link;
        this.sources = sources;
    }

    @Override
    public MetricSnapshots collect() {
        final CounterSnapshot.Builder readErrors = CounterSnapshot.builder().name("cellwatch_gateway_read_errors")
                .help("Polls of a source that failed in whole or in part");
        final GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("cellwatch_gateway_source_up")
                .help("1 while a source is ok (connected, reading); state names what it is doing");
        final GaugeSnapshot.Builder missing = GaugeSnapshot.builder().name("cellwatch_gateway_source_missing_series")
                .help("Series a failing request of a source keeps away (request names it, e.g. its map lines)");
        final CounterSnapshot.Builder events = CounterSnapshot.builder().name("cellwatch_gateway_source_events")
                .help("Per-source counters (values, bad-status, dropped-…, ts-replaced, reconnects, …)");
        final Map<String, CounterSnapshot.Builder> own = new LinkedHashMap<>();
        final LinkState state = link.get();
        final GaugeSnapshot.Builder brokers = GaugeSnapshot.builder().name("cellwatch_gateway_broker_connected")
                .help("1 for the broker of broker.url the MQTT link is connected to, 0 for the others");
        for (int i = 0; i < state.urls().size(); i++) {
            brokers.dataPoint(GaugeDataPointSnapshot.builder()
                    .value(state.connected() && state.broker() == i ? 1 : 0)
                    .labels(Labels.of("url", state.urls().get(i))).build());
        }
        for (final Source source : sources.get()) {
            final String name = source.name();
            readErrors.dataPoint(counter(source.readErrors(), Labels.of("source", name)));
            final SourceHealth health = source.health();
            up.dataPoint(GaugeDataPointSnapshot.builder().value(health.up() ? 1 : 0)
                    .labels(Labels.of("source", name, "state", health.state())).build());
            for (final SourceProblem problem : health.problems()) {
                missing.dataPoint(GaugeDataPointSnapshot.builder().value(problem.missingSeries().size())
                        .labels(Labels.of("source", name, "request", problem.request())).build());
            }
            health.counters().forEach((event, count) -> {
                if (!event.equals("read-errors")) {
                    events.dataPoint(counter(count, Labels.of("source", name, "event", event)));
                }
            });
            for (final SourceCounter family : source.counters()) {
                final CounterSnapshot.Builder builder = own.computeIfAbsent(family.name(),
                        n -> CounterSnapshot.builder().name(n).help(family.help()));
                family.values().forEach((values, count) -> {
                    final List<String> names = new ArrayList<>(List.of("source"));
                    names.addAll(family.labelNames());
                    final List<String> all = new ArrayList<>(List.of(name));
                    all.addAll(values);
                    builder.dataPoint(counter(count, Labels.of(names, all)));
                });
            }
        }
        final List<MetricSnapshot> out = new ArrayList<>(List.of(
                gauge("cellwatch_gateway_buffer_depth", "Payloads buffered and not yet acknowledged", buffer.depth()),
                gauge("cellwatch_gateway_buffer_bytes", "Bytes of the buffer files", buffer.diskBytes()),
                counter("cellwatch_gateway_buffer_appended", "Payloads buffered since start", buffer.appended()),
                counter("cellwatch_gateway_buffer_dropped", "Payloads dropped unsent because the buffer was full",
                        buffer.dropped()),
                gauge("cellwatch_gateway_connected", "1 while the MQTT link is up", state.connected() ? 1 : 0),
                brokers.build(),
                gauge("cellwatch_gateway_broker_index",
                        "Position in broker.url (from 0) of the broker connected to, or being tried while down",
                        state.broker()),
                counter("cellwatch_gateway_broker_switches",
                        "Connections made to another broker than the one before (failovers)",
                        stats.brokerSwitches()),
                counter("cellwatch_gateway_published", "Publishes sent, re-sends included", stats.sent()),
                counter("cellwatch_gateway_acked", "Publishes the broker acknowledged", stats.acked()),
                counter("cellwatch_gateway_refused", "Publishes the broker refused", stats.refused()),
                counter("cellwatch_gateway_reconnects", "MQTT reconnects after a loss", stats.reconnects()),
                readErrors.build(), up.build(), missing.build(), events.build()));
        own.values().forEach(builder -> out.add(builder.build()));
        return new MetricSnapshots(out);
    }

    private static CounterDataPointSnapshot counter(final double value, final Labels labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static CounterSnapshot counter(final String name, final String help, final double value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(counter(value, Labels.EMPTY)).build();
    }

    private static GaugeSnapshot gauge(final String name, final String help, final double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
