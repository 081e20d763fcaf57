package io.cellwatch.edge.health;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A small local HTTP server answering {@code GET /metrics} in Prometheus text format, on one thread of its own.
 * Bound where the config says (loopback by default): it has no login. Close is idempotent.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    public MetricsServer(final InetSocketAddress address, final PrometheusRegistry registry) throws IOException {
        final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server = HttpServer.create(address, 0);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                final ByteArrayOutputStream text = new ByteArrayOutputStream();
                writer.write(text, registry.scrape());
                final byte[] body = text.toByteArray();
                exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
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
