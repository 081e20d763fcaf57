package io.cellwatch.extension.api;

import io.cellwatch.extension.metrics.Metrics;
import io.prometheus.metrics.core.metrics.Histogram;
import io.undertow.server.HttpHandler;

/**
 * Times every HTTP request by route, from arrival until the response is complete
 * ({@code cellwatch_http_request_seconds{route}}). The route is the path template a handler is mounted at, never the
 * requested path, so the label stays bounded. Thread-safe.
 */
final class TimedRoutes {

    private final Histogram requests;

    TimedRoutes(final Metrics metrics) {
        requests = metrics.seconds("cellwatch_http_request_seconds",
                "HTTP requests by route (the mounted path; static for the dashboard's files), arrival to response"
                        + " complete; a WebSocket counts until its upgrade", "route");
    }

    /** {@code handler}, timed under {@code route}. */
    HttpHandler timed(final String route, final HttpHandler handler) {
        final var observed = requests.labelValues(route);
        return exchange -> {
            final long start = System.nanoTime();
            exchange.addExchangeCompleteListener((done, next) -> {
                observed.observe(Metrics.seconds(start, System.nanoTime()));
                next.proceed();
            });
            handler.handleRequest(exchange);
        };
    }
}
