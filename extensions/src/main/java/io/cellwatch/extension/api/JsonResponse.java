package io.cellwatch.extension.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Sends a JSON answer the way every cellwatch endpoint does: typed, never cached. */
public final class JsonResponse {

    private JsonResponse() {
    }

    /** Ends {@code exchange} with {@code status} and {@code json}. */
    public static void send(final HttpServerExchange exchange, final int status, final String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(json);
    }
}
