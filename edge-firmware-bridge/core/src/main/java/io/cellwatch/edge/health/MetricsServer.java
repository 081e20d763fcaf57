package io.cellwatch.edge.health;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A small local HTTP server answering {@code GET /metrics} in Prometheus text format, on one thread of its own.
 * Bound where the config says (loopback by default): it has no login. Close is idempotent.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    public MetricsServer(final InetSocketAddress address, final CollectorRegistry registry) throws IOException {
        server = HttpServer.create(address, 0);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                final StringWriter text = new StringWriter();
                TextFormat.write004(text, registry.metricFamilySamples());
                final byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE_004);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
