package io.cellwatch.extension.api;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.analytics.PackReport;
import io.cellwatch.extension.history.AnalyticsHistory;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/analytics/history?path=<pack>[&cell=<cell>][&from=…][&to=…][&limit=n]}: the pack's stored
 * analytics snapshots in [from, to) (the last {@value #DEFAULT_DAYS} days by default), oldest first, at most
 * {@code limit} ({@value #DEFAULT_LIMIT} by default, at most {@value #MAX_LIMIT}); with {@code cell}, that cell's
 * figures instead. A pack outside the caller's scope is 403 whether or not it exists. Queries run on a worker thread.
 * Thread-safe.
 */
final class AnalyticsHistoryHandler implements HttpHandler {

    static final int DEFAULT_LIMIT = 1_000;
    static final int MAX_LIMIT = 10_000;
    static final int DEFAULT_DAYS = 7;

    private static final Logger log = LoggerFactory.getLogger(AnalyticsHistoryHandler.class);

    private final AnalyticsHistory history;
    private final RatedCapacity rated;
    private final Clock clock;

    AnalyticsHistoryHandler(final AnalyticsHistory history, final RatedCapacity rated, final Clock clock) {
        this.history = history;
        this.rated = rated;
        this.clock = clock;
    }

    /** A checked request. */
    private record Request(String path, String cell, long from, long to, int limit) {
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        final Request request;
        try {
            request = parse(exchange.getQueryParameters());
        } catch (final HistoryRequest.Invalid invalid) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error(invalid.getMessage()));
            return;
        }
        if (!HttpAccess.scope(exchange).covers(request.path())) {
            // The same answer whether or not the pack exists: nothing about other tenants leaks.
            JsonResponse.forbiddenPath(exchange, request.path());
            return;
        }
        try {
            if (request.cell() == null) {
                final AnalyticsHistory.Page<PackReport> page = history.pack(request.path(), request.from(),
                        request.to(), request.limit());
                JsonResponse.send(exchange, StatusCodes.OK, AnalyticsJson.packHistory(request.path(), request.from(),
                        request.to(), request.limit(), rated.of(request.path()), page));
            } else {
                JsonResponse.send(exchange, StatusCodes.OK, AnalyticsJson.cellHistory(request.path(), request.cell(),
                        request.from(), request.to(), request.limit(), history.cell(request.path(), request.cell(),
                                request.from(), request.to(), request.limit())));
            }
        } catch (final SQLException | RuntimeException e) {
            log.error("Analytics history query of {} from {} to {} failed", request.path(), request.from(),
                    request.to(), e);
            JsonResponse.send(exchange, StatusCodes.INTERNAL_SERVER_ERROR,
                    ApiJson.error("analytics history query failed"));
        }
    }

    private Request parse(final Map<String, Deque<String>> parameters) throws HistoryRequest.Invalid {
        final String path = HistoryRequest.single(parameters, "path");
        if (path == null || path.isEmpty()) {
            throw new HistoryRequest.Invalid("path: a pack's path is required");
        }
        subtree("path", path);
        final String cell = HistoryRequest.single(parameters, "cell");
        if (cell != null) {
            subtree("cell", cell);
            if (!cell.startsWith(path + "/")) {
                throw new HistoryRequest.Invalid("cell: must be a cell of " + path + ", got '" + cell + "'");
            }
        }
        final String toText = HistoryRequest.single(parameters, "to");
        final String fromText = HistoryRequest.single(parameters, "from");
        final long to = toText == null ? clock.millis() : HistoryRequest.time("to", toText);
        final long from = fromText == null ? Math.max(0, to - TimeUnit.DAYS.toMillis(DEFAULT_DAYS))
                : HistoryRequest.time("from", fromText);
        if (from > to) {
            throw new HistoryRequest.Invalid("from: must not be after to");
        }
        return new Request(path, cell, from, to, limit(HistoryRequest.single(parameters, "limit")));
    }

    private static void subtree(final String name, final String path) throws HistoryRequest.Invalid {
        try {
            TopicResolver.parseSubtree(path);
        } catch (final Rejection bad) {
            throw new HistoryRequest.Invalid(name + ": " + bad.getMessage());
        }
    }

    private static int limit(final String text) throws HistoryRequest.Invalid {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        final String message = "limit: expected a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'";
        try {
            final int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (final NumberFormatException e) {
            // Answered below with the same message as an out-of-range number.
        }
        throw new HistoryRequest.Invalid(message);
    }
}
