package io.cellwatch.extension.api;

import io.cellwatch.extension.analytics.AnalyticsEngine;
import io.cellwatch.extension.analytics.CellReport;
import io.cellwatch.extension.analytics.PackReport;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code GET /api/v1/analytics?path=<pack>}: one pack's analytics, with its state of health when its plant's retained
 * meta gives the packs' rated capacity ({@code packRatedAh}); {@code GET /api/v1/analytics/weakest[?path=…]
 * [&limit=N]}: the cells of the caller's scope (or of the subtree at {@code path}) ranked by their resistance over
 * their pack's median, highest first. Both read the analytics thread's latest reports, or a pack's report stored
 * before a restart while there is no fresh one ({@code "stored":true}); neither queries DuckDB.
 */
final class AnalyticsHandlers {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;

    private final AnalyticsEngine engine;
    private final RatedCapacity rated;

    /** @param retained the retained payload of a topic, if any (the broker's retained message store) */
    AnalyticsHandlers(final AnalyticsEngine engine,
                      final Function<String, CompletableFuture<Optional<ByteBuffer>>> retained) {
        this.engine = engine;
        this.rated = new RatedCapacity(retained);
    }

    HttpHandler pack() {
        return exchange -> {
            if (exchange.isInIoThread()) {
                // Reads the plant's retained meta: worker-thread work.
                exchange.dispatch(this::answerPack);
            } else {
                answerPack(exchange);
            }
        };
    }

    private void answerPack(final HttpServerExchange exchange) throws Exception {
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        final String path = QueryHandlers.checkedPath(exchange);
        if (path == null) {
            return;
        }
        if (!HttpAccess.scope(exchange).covers(path)) {
            JsonResponse.forbiddenPath(exchange, path);
            return;
        }
        final Optional<PackReport> live = engine.report(path);
        final Optional<PackReport> report = live.isPresent() ? live : engine.stored(path);
        if (report.isEmpty()) {
            JsonResponse.send(exchange, StatusCodes.NOT_FOUND, ApiJson.error("no analytics for " + path
                    + ": not a pack, or no pack current or cell voltage seen yet"));
            return;
        }
        JsonResponse.send(exchange, StatusCodes.OK, AnalyticsJson.pack(report.get(), rated.of(path),
                live.isEmpty()));
    }

    HttpHandler weakest() {
        return exchange -> {
            if (JsonResponse.refusedUnlessGet(exchange)) {
                return;
            }
            final String path = QueryHandlers.checkedPath(exchange);
            if (path == null) {
                return;
            }
            final int limit = limit(exchange);
            if (limit < 0) {
                JsonResponse.send(exchange, StatusCodes.BAD_REQUEST,
                        ApiJson.error("limit must be a whole number 1–" + MAX_LIMIT));
                return;
            }
            final Scope scope = HttpAccess.scope(exchange);
            final Optional<String> readable = scope.readable(path);
            if (readable.isEmpty()) {
                JsonResponse.forbiddenPath(exchange, path);
                return;
            }
            final String from = readable.get();
            final List<AnalyticsJson.RankedCell> ranked = new ArrayList<>();
            for (final PackReport pack : engine.reports(p -> under(p, from) && scope.covers(p))) {
                for (final CellReport cell : pack.cells()) {
                    if (cell.ranked()) {
                        ranked.add(new AnalyticsJson.RankedCell(pack, cell));
                    }
                }
            }
            ranked.sort(Comparator.comparingDouble((AnalyticsJson.RankedCell r) ->
                    -r.cell().resistance().ratioToPackMedian()).thenComparing(r -> r.cell().cell()));
            JsonResponse.send(exchange, StatusCodes.OK,
                    AnalyticsJson.weakest(path, ranked.subList(0, Math.min(limit, ranked.size()))));
        };
    }

    private static boolean under(final String path, final String root) {
        return root.isEmpty() || path.equals(root) || path.startsWith(root + "/");
    }

    /** The {@code limit} parameter, its default when absent, -1 when not valid. */
    private static int limit(final HttpServerExchange exchange) {
        final Deque<String> values = exchange.getQueryParameters().get("limit");
        if (values == null || values.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            final int limit = Integer.parseInt(values.getFirst());
            return limit >= 1 && limit <= MAX_LIMIT ? limit : -1;
        } catch (final NumberFormatException e) {
            return -1;
        }
    }
}
