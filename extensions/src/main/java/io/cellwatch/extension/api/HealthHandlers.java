package io.cellwatch.extension.api;

import io.cellwatch.extension.health.Readiness;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * {@code /healthz} (live: the process serves HTTP; 200 while it does) and {@code /readyz} (ready: every
 * {@link Readiness} check passes; 200, else 503 naming the failed checks). No login: load balancers and systemd
 * poll them; their answers name no tenant, user or series.
 */
public final class HealthHandlers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthHandlers() {
    }

    /** {@code /healthz}. */
    public static HttpHandler live() {
        return exchange -> send(exchange, StatusCodes.OK, JSON.createObjectNode().put("status", "live"));
    }

    /** {@code /readyz}; runs the checks on a worker thread (the broker check opens a socket). */
    public static HttpHandler ready(final Readiness readiness) {
        return new HttpHandler() {
            @Override
            public void handleRequest(final io.undertow.server.HttpServerExchange exchange) {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(this);
                    return;
                }
                final Readiness.Report report = readiness.report();
                final ObjectNode body = JSON.createObjectNode().put("status", report.ready() ? "ready" : "not ready");
                report.checks().forEach(body.putObject("checks")::put);
                send(exchange, report.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
            }
        };
    }

    private static void send(final io.undertow.server.HttpServerExchange exchange, final int status,
                             final ObjectNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body.toString() + "\n");
    }
}
