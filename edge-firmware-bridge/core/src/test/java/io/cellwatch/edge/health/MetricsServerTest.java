package io.cellwatch.edge.health;

import io.cellwatch.contract.TopicBuilder;
import io.cellwatch.edge.buffer.DiskBuffer;
import io.cellwatch.edge.config.BufferSettings;
import io.cellwatch.edge.config.SimulatorSettings;
import io.cellwatch.edge.publish.LinkState;
import io.cellwatch.edge.publish.PublishStats;
import io.cellwatch.edge.source.NodeReading;
import io.cellwatch.edge.source.SimulatorSource;
import io.cellwatch.edge.source.Source;
import io.cellwatch.edge.source.SourceCounter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's {@code /metrics} page as Prometheus scrapes it, on the 1.x client the server uses too. */
class MetricsServerTest {

    private static final TopicBuilder PLANT = TopicBuilder.tenant("acme").child("plants", "p1");

    @TempDir
    Path dir;

    /** A driver's own counter family, labelled per node, as the OPC-UA source reports bad statuses. */
    private static final class CountingSource implements Source {

        @Override
        public String name() {
            return "plc";
        }

        @Override
        public List<NodeReading> poll(final long now) {
            return List.of();
        }

        @Override
        public List<SourceCounter> counters() {
            return List.of(new SourceCounter("cellwatch_gateway_test_bad_status", "Bad statuses per node",
                    List.of("node"), Map.of(List.of("ns=2;s=Cell1"), 3L)));
        }

        @Override
        public long readErrors() {
            return 2;
        }

        @Override
        public void close() {
        }
    }

    private static String scrape(final MetricsServer server) throws Exception {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void exportsTheBufferTheLinkAndEverySourceWithItsOwnCounterFamilies() throws Exception {
        final SimulatorSource simulator = new SimulatorSource(
                new SimulatorSettings("sim", Duration.ofSeconds(1), 1, 1, 2, 42), PLANT);
        try (DiskBuffer buffer = DiskBuffer.open(new BufferSettings(dir, 1L << 30));
             CountingSource plc = new CountingSource()) {
            simulator.poll(1_764_000_000_000L).forEach(buffer::append);
            final PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new GatewayCollector(buffer, new PublishStats(),
                    () -> new LinkState(List.of("tcp://ingest-1:1883", "tcp://ingest-2:1883"), 1, false),
                    () -> List.of(simulator, plc)));
            try (MetricsServer server = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), registry)) {
                assertThat(scrape(server)).contains(
                        "cellwatch_gateway_connected 0.0",
                        "cellwatch_gateway_broker_connected{url=\"tcp://ingest-1:1883\"} 0.0",
                        "cellwatch_gateway_broker_connected{url=\"tcp://ingest-2:1883\"} 0.0",
                        "cellwatch_gateway_broker_index 1.0",
                        "cellwatch_gateway_broker_switches_total 0.0",
                        "cellwatch_gateway_buffer_appended_total 3.0",
                        "cellwatch_gateway_read_errors_total{source=\"sim\"} 0.0",
                        "cellwatch_gateway_read_errors_total{source=\"plc\"} 2.0",
                        "cellwatch_gateway_source_up{source=\"plc\",state=\"ok\"} 1.0",
                        "cellwatch_gateway_test_bad_status_total{node=\"ns=2;s=Cell1\",source=\"plc\"} 3.0")
                        .containsPattern("cellwatch_gateway_buffer_depth 3(\\.0)?\\n");
            }
        } finally {
            simulator.close();
        }
    }
}
