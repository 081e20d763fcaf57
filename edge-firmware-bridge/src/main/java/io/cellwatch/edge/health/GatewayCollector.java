package io.cellwatch.edge.health;

import io.cellwatch.edge.Gateway;
import io.cellwatch.edge.modbus.ModbusSource;
import io.cellwatch.edge.source.Source;
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
        for (final Source source : gateway.sources()) {
            readErrors.addMetric(List.of(source.name()), source.readErrors());
            if (source instanceof ModbusSource modbus) {
                requests.addMetric(List.of(source.name()), modbus.requests());
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
                readErrors, requests);
    }
}
