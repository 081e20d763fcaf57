package io.cellwatch.extension.api;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.history.AlertHistory;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/alerts/history[?from=…][&to=…][&node=…][&limit=n]}: the stored changes of the alerts the caller
 * may see (its tenant's; every tenant's for a global admin, never the probe's), newest first, at most {@code limit}
 * ({@value #DEFAULT_LIMIT} by default, at most {@value #MAX_LIMIT}); {@code "more":true} says the window holds more.
 * Queries run on a worker thread. Thread-safe.
 */
final class AlertHistoryHandler implements HttpHandler {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5_000;
    static final long DEFAULT_WINDOW_MS = TimeUnit.HOURS.toMillis(24);

    private static final Logger log = LoggerFactory.getLogger(AlertHistoryHandler.class);

    private final AlertHistory history;
    private final Clock clock;

    AlertHistoryHandler(final AlertHistory history, final Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        final Map<String, Deque<String>> parameters = exchange.getQueryParameters();
        final long from;
        final long to;
        final int limit;
        final String node;
        try {
            final String toText = HistoryRequest.single(parameters, "to");
            final String fromText = HistoryRequest.single(parameters, "from");
            to = toText == null ? clock.millis() : HistoryRequest.time("to", toText);
            from = fromText == null ? Math.max(0, to - DEFAULT_WINDOW_MS) : HistoryRequest.time("from", fromText);
            if (from > to) {
                throw new HistoryRequest.Invalid("from: must not be after to");
            }
            limit = limit(HistoryRequest.single(parameters, "limit"));
            node = HistoryRequest.single(parameters, "node");
            if (node != null) {
                TopicResolver.parseSubtree(node);
            }
        } catch (final HistoryRequest.Invalid invalid) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error(invalid.getMessage()));
            return;
        } catch (final Rejection bad) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error("node: " + bad.getMessage()));
            return;
        }
        final Scope scope = HttpAccess.scope(exchange);
        final String subtree;
        if (node == null || node.isEmpty()) {
            subtree = null;
        } else if (scope.covers(node)) {
            subtree = node;
        } else if (scope.leadsTo(node)) {
            subtree = null;
        } else {
            // The same answer whether or not the node exists: nothing about other tenants leaks.
            JsonResponse.forbiddenPath(exchange, node);
            return;
        }
        final String tenant = scope.all() ? null : scope.tenant().orElse(null);
        if (!scope.all() && tenant == null) {
            JsonResponse.send(exchange, StatusCodes.OK,
                    ApiJson.alertEvents(from, to, limit, new AlertHistory.Page(List.of(), false)));
            return;
        }
        try {
            final AlertHistory.Page page = history.query(tenant, TopicResolver.INTERNAL_TENANT, subtree, from, to,
                    limit);
            JsonResponse.send(exchange, StatusCodes.OK, ApiJson.alertEvents(from, to, limit, page));
        } catch (final SQLException | RuntimeException e) {
            log.error("Alert history query from {} to {} failed", from, to, e);
            JsonResponse.send(exchange, StatusCodes.INTERNAL_SERVER_ERROR, ApiJson.error("alert history query failed"));
        }
    }

    private static int limit(final String text) throws HistoryRequest.Invalid {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        final String message = "limit: expected a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'";
        final int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new HistoryRequest.Invalid(message);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new HistoryRequest.Invalid(message);
        }
        return limit;
    }
}
