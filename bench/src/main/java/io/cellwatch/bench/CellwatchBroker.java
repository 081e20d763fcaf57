package io.cellwatch.bench;

import io.cellwatch.broker.CellwatchServer;
import io.cellwatch.broker.config.ServerConfig;

import java.io.IOException;

/**
 * The cellwatch server (embedded HiveMQ + the cellwatch extension) as configured; counts accepted publishes with the
 * extension's {@code cellwatch_ingest_publishes_accepted} from its own {@code /metrics}.
 */
final class CellwatchBroker implements BrokerUnderTest {

    private final String name;
    private final CellwatchServer server;
    private final String password;
    private final MetricsScrape metrics;

    private CellwatchBroker(final String name, final CellwatchServer server, final String password) {
        this.name = name;
        this.server = server;
        this.password = password;
        this.metrics = password == null ? new MetricsScrape(server.httpPort(), null, null)
                : new MetricsScrape(server.httpPort(), BenchServers.ADMIN, password);
    }

    /** Starts the server; {@code password} is what the gateways log in with ({@code null}: no credentials). */
    static CellwatchBroker start(final String name, final ServerConfig config, final String password)
            throws IOException {
        final CellwatchServer server = new CellwatchServer(config);
        server.start();
        return new CellwatchBroker(name, server, password);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mqttPort() {
        return server.config().mqttPort();
    }

    @Override
    public String gatewayPassword() {
        return password;
    }

    @Override
    public long acceptedPublishes() throws IOException {
        return (long) metrics.value("cellwatch_ingest_publishes_accepted_total");
    }

    CellwatchServer server() {
        return server;
    }

    MetricsScrape metrics() {
        return metrics;
    }

    @Override
    public void close() {
        server.close();
    }
}
