package io.cellwatch.extension.api;

import io.cellwatch.extension.contract.Rejection;
import io.cellwatch.extension.contract.TopicResolver;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.util.Deque;

/** The read-only REST endpoints over the live state: {@code /api/v1/tree} and {@code /api/v1/snapshot}. */
final class QueryHandlers {

    private final SeriesCatalog catalog;

    QueryHandlers(final SeriesCatalog catalog) {
        this.catalog = catalog;
    }

    /** {@code GET /api/v1/tree[?path=…]}: the discovered hierarchy, whole or from a node; 404 for an unknown node. */
    HttpHandler tree() {
        return get(exchange -> {
            final String path = pathParameter(exchange);
            final SeriesNode node = catalog.node(path);
            if (node == null) {
                send(exchange, StatusCodes.NOT_FOUND, ApiJson.error("no node at path '" + path + "'"));
            } else {
                send(exchange, StatusCodes.OK, ApiJson.tree(node));
            }
        });
    }

    /**
     * {@code GET /api/v1/snapshot[?path=…]}: the latest value of every series under a node or of one series; a path
     * not yet discovered has no samples.
     */
    HttpHandler snapshot() {
        return get(exchange -> {
            final String path = pathParameter(exchange);
            send(exchange, StatusCodes.OK, ApiJson.snapshot(path, catalog.under(path)));
        });
    }

    private interface Query {
        void answer(HttpServerExchange exchange) throws Rejection;
    }

    private static HttpHandler get(final Query query) {
        return exchange -> {
            if (exchange.isInIoThread()) {
                // Serialising a large tree is not I/O-thread work.
                exchange.dispatch(() -> answer(exchange, query));
                return;
            }
            answer(exchange, query);
        };
    }

    private static void answer(final HttpServerExchange exchange, final Query query) {
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
            send(exchange, StatusCodes.METHOD_NOT_ALLOWED, ApiJson.error("only GET is allowed"));
            return;
        }
        try {
            query.answer(exchange);
        } catch (final Rejection bad) {
            send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error("bad path: " + bad.getMessage()));
        }
    }

    private static String pathParameter(final HttpServerExchange exchange) throws Rejection {
        final Deque<String> values = exchange.getQueryParameters().get("path");
        final String path = values == null || values.isEmpty() ? "" : values.getFirst();
        TopicResolver.parseSubtree(path);
        return path;
    }

    static void send(final HttpServerExchange exchange, final int status, final String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(json);
    }
}
