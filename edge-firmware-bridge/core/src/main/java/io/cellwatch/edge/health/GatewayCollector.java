package io.cellwatch.edge.health;

import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.modbus.ModbusSource;
import io.cellwatch.edge.opcua.OpcUaSource;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceHealth;
import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;

import java.util.List;

/** The gateway's counters as Prometheus metrics, read at scrape time. Thread-safe. */
public final class GatewayCollector extends Collector {

    private final Gateway gateway;

    public GatewayCollector(final Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        final var buffer = gateway.buffer();
        final var stats = gateway.stats();
        final CounterMetricFamily readErrors = new CounterMetricFamily("cellwatch_gateway_read_errors",
                "Polls of a source that failed in whole or in part", List.of("source"));
        final CounterMetricFamily requests = new CounterMetricFamily("cellwatch_gateway_modbus_requests",
                "Modbus requests sent", List.of("source"));
        final GaugeMetricFamily up = new GaugeMetricFamily("cellwatch_gateway_source_up",
                "1 while a source is ok (connected, reading); state names what it is doing", List.of("source", "state"));
        final CounterMetricFamily events = new CounterMetricFamily("cellwatch_gateway_source_events",
                "Per-source counters (values, bad-status, dropped-…, ts-replaced, reconnects, …)",
                List.of("source", "event"));
        final CounterMetricFamily badStatus = new CounterMetricFamily("cellwatch_gateway_opcua_bad_status",
                "OPC-UA values with a status other than Good, per node; never published", List.of("source", "node"));
        for (final Source source : gateway.sources()) {
            readErrors.addMetric(List.of(source.name()), source.readErrors());
            if (source instanceof ModbusSource modbus) {
                requests.addMetric(List.of(source.name()), modbus.requests());
            }
            final SourceHealth health = source.health();
            up.addMetric(List.of(source.name(), health.state()), health.up() ? 1 : 0);
            health.counters().forEach((event, count) -> {
                if (!event.equals("read-errors")) {
                    events.addMetric(List.of(source.name(), event), count);
                }
            });
            if (source instanceof OpcUaSource opcua) {
                opcua.badStatusByNode().forEach((node, count) ->
                        badStatus.addMetric(List.of(source.name(), node), count));
            }
        }
        return List.of(
                new GaugeMetricFamily("cellwatch_gateway_buffer_depth", "Payloads buffered and not yet acknowledged",
                        buffer.depth()),
                new GaugeMetricFamily("cellwatch_gateway_buffer_bytes", "Bytes of the buffer files",
                        buffer.diskBytes()),
                new CounterMetricFamily("cellwatch_gateway_buffer_appended", "Payloads buffered since start",
                        buffer.appended()),
                new CounterMetricFamily("cellwatch_gateway_buffer_dropped",
                        "Payloads dropped unsent because the buffer was full", buffer.dropped()),
                new GaugeMetricFamily("cellwatch_gateway_connected", "1 while the MQTT link is up",
                        gateway.connected() ? 1 : 0),
                new CounterMetricFamily("cellwatch_gateway_published", "Publishes sent, re-sends included",
                        stats.sent()),
                new CounterMetricFamily("cellwatch_gateway_acked", "Publishes the broker acknowledged",
                        stats.acked()),
                new CounterMetricFamily("cellwatch_gateway_refused", "Publishes the broker refused",
                        stats.refused()),
                new CounterMetricFamily("cellwatch_gateway_reconnects", "MQTT reconnects after a loss",
                        stats.reconnects()),
                readErrors, requests, up, events, badStatus);
    }
}
