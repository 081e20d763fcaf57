package io.cellwatch.extension.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

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

    /** Answers 405 (with {@code Allow: GET}) unless the request is a GET; true if it answered. */
    static boolean refusedUnlessGet(final HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET)) {
            return false;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
        send(exchange, StatusCodes.METHOD_NOT_ALLOWED, ApiJson.error("only GET is allowed"));
        return true;
    }

    /**
     * Answers 403 for {@code path} outside the caller's scope: the same answer whether or not the path exists, so
     * nothing about other tenants leaks.
     */
    static void forbiddenPath(final HttpServerExchange exchange, final String path) {
        send(exchange, StatusCodes.FORBIDDEN, ApiJson.error("path '" + path + "' is outside what you may see"));
    }
}
