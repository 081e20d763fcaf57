package io.cellwatch.extension.api;

import io.cellwatch.extension.history.HistoryQuery;
import io.cellwatch.extension.history.HistoryResult;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.Function;

/**
 * {@code GET /api/v1/history?series=K&series=K2…&from=…&to=…&points=N}: the history of up to 1000 series as at most
 * N points each. 400 names the bad parameter, 404 the unknown series. Runs queries on Undertow worker threads, never
 * on an I/O thread. Thread-safe.
 */
public final class HistoryHandler implements HttpHandler {

    /**
     * The most query parameters a history request can carry (1000 {@code series}, {@code from}, {@code to},
     * {@code points}). Undertow's {@code UndertowOptions.MAX_PARAMETERS} must be at least this: at its default, 1000,
     * Undertow itself answers a bare 400 before this handler runs.
     */
    public static final int MAX_QUERY_PARAMETERS = HistoryRequest.MAX_SERIES + 3;

    private static final Logger log = LoggerFactory.getLogger(HistoryHandler.class);

    private final HistoryQuery query;
    private final Function<String, Integer> seriesIds;
    private final Clock clock;
    private final DoubleConsumer querySeconds;

    /**
     * @param seriesIds the id of a series key, or {@code null} if the key is unknown
     */
    public HistoryHandler(final HistoryQuery query, final Function<String, Integer> seriesIds) {
        this(query, seriesIds, Clock.systemUTC(), seconds -> { });
    }

    /** @param querySeconds told how long each database query took */
    public HistoryHandler(final HistoryQuery query, final Function<String, Integer> seriesIds,
                          final DoubleConsumer querySeconds) {
        this(query, seriesIds, Clock.systemUTC(), querySeconds);
    }

    HistoryHandler(final HistoryQuery query, final Function<String, Integer> seriesIds, final Clock clock) {
        this(query, seriesIds, clock, seconds -> { });
    }

    private HistoryHandler(final HistoryQuery query, final Function<String, Integer> seriesIds, final Clock clock,
                           final DoubleConsumer querySeconds) {
        this.query = query;
        this.seriesIds = seriesIds;
        this.clock = clock;
        this.querySeconds = querySeconds;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            // A query can scan millions of rows: not I/O-thread work.
            exchange.dispatch(this);
            return;
        }
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        final HistoryRequest request;
        try {
            request = HistoryRequest.parse(exchange.getQueryParameters(), clock.millis());
        } catch (final HistoryRequest.Invalid invalid) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error(invalid.getMessage()));
            return;
        }
        final List<HistoryQuery.SeriesRef> series = new ArrayList<>(request.series().size());
        final Scope scope = HttpAccess.scope(exchange);
        for (final String key : request.series()) {
            if (!scope.covers(key)) {
                // Same answer whether or not the series exists: nothing about other tenants leaks.
                JsonResponse.send(exchange, StatusCodes.FORBIDDEN,
                        ApiJson.error("series: '" + key + "' is outside what you may see"));
                return;
            }
        }
        for (final String key : request.series()) {
            final Integer id = seriesIds.apply(key);
            if (id == null) {
                JsonResponse.send(exchange, StatusCodes.NOT_FOUND, ApiJson.error("series: unknown series '" + key + "'"));
                return;
            }
            series.add(new HistoryQuery.SeriesRef(id, key));
        }
        try {
            final long start = System.nanoTime();
            final HistoryResult result = query.query(series, request.from(), request.to(), request.points());
            querySeconds.accept((System.nanoTime() - start) / 1e9);
            JsonResponse.send(exchange, StatusCodes.OK, HistoryJson.history(result));
        } catch (final SQLException | RuntimeException e) {
            log.error("History query of {} series from {} to {} failed", series.size(), request.from(), request.to(), e);
            JsonResponse.send(exchange, StatusCodes.INTERNAL_SERVER_ERROR, ApiJson.error("history query failed"));
        }
    }
}
