package io.cellwatch.extension.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * Answers 413 to a request whose declared body is over {@code http.max-body-bytes}, before anything reads it, and
 * holds every other request to that size while it is read (a chunked body past it fails its read and the connection
 * is closed). The connection of a refused request is closed after the answer: its body is never read.
 */
final class BodyLimit implements HttpHandler {

    private final HttpHandler next;
    private final long maxBytes;
    private final Counter refused;

    BodyLimit(final HttpHandler next, final long maxBytes, final Counter refused) {
        this.next = next;
        this.maxBytes = maxBytes;
        this.refused = refused;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestContentLength() > maxBytes) {
            refused.inc();
            exchange.setPersistent(false);
            JsonResponse.send(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, ApiJson.error("request body over "
                    + maxBytes + " bytes (http.max-body-bytes)"));
            return;
        }
        exchange.setMaxEntitySize(maxBytes);
        next.handleRequest(exchange);
    }
}
