package io.cellwatch.extension.api;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.series.SeriesNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The read-only REST endpoints over the live state: {@code /api/v1/tree}, {@code /api/v1/snapshot} and
 * {@code /api/v1/gateways}.
 */
final class QueryHandlers {

    private final SeriesCatalog catalog;
    private final int maxSnapshotSeries;

    /** @param maxSnapshotSeries the most series in one snapshot answer ({@code http.max-snapshot-series}) */
    QueryHandlers(final SeriesCatalog catalog, final int maxSnapshotSeries) {
        this.catalog = catalog;
        this.maxSnapshotSeries = maxSnapshotSeries;
    }

    /**
     * {@code GET /api/v1/tree[?path=…]}: the discovered hierarchy, whole or from a node, pruned to the caller's scope;
     * 404 for an unknown node inside it, 403 for any path outside it.
     */
    HttpHandler tree() {
        return get(exchange -> {
            final String path = pathParameter(exchange);
            final Scope scope = HttpAccess.scope(exchange);
            if (!scope.covers(path) && !scope.leadsTo(path)) {
                JsonResponse.forbiddenPath(exchange, path);
                return;
            }
            final SeriesNode node = catalog.node(path);
            if (node == null) {
                JsonResponse.send(exchange, StatusCodes.NOT_FOUND, ApiJson.error("no node at path '" + path + "'"));
            } else {
                JsonResponse.send(exchange, StatusCodes.OK, ApiJson.tree(node, scope));
            }
        });
    }

    /**
     * {@code GET /api/v1/snapshot[?path=…][&limit=n][&offset=k]}: the latest value of every series under a node or of
     * one series, at most {@code limit} (default and maximum {@code http.max-snapshot-series}) from {@code offset}
     * on, in the order the series were created (so a page stays in place as series are added); an answer that is not
     * the whole subtree adds {@code total} (all of them) and {@code next} (the offset of the next page, if any). A path not yet discovered has no samples.
     * Callers see only their scope: an ancestor of it ({@code ""}, {@code tenants}) answers for their tenant's subtree
     * only, anything else outside it is 403.
     */
    HttpHandler snapshot() {
        return get(exchange -> {
            final String path = pathParameter(exchange);
            final Scope scope = HttpAccess.scope(exchange);
            final Optional<String> readable = scope.readable(path);
            if (readable.isEmpty()) {
                JsonResponse.forbiddenPath(exchange, path);
                return;
            }
            final String root = readable.get();
            final int limit = intParameter(exchange, "limit", maxSnapshotSeries, 1, maxSnapshotSeries);
            final int offset = intParameter(exchange, "offset", 0, 0, Integer.MAX_VALUE);
            if (limit < 0 || offset < 0) {
                JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error("'limit' is a number from 1 to "
                        + maxSnapshotSeries + ", 'offset' a number from 0"));
                return;
            }
            final List<Series> all = catalog.under(root);
            all.sort(Comparator.comparingInt(Series::id));
            final int from = Math.min(offset, all.size());
            final int to = Math.min(all.size(), from + limit);
            // The whole subtree in one answer keeps the live snapshot's shape; only a part says where it is.
            final boolean whole = from == 0 && to == all.size();
            JsonResponse.send(exchange, StatusCodes.OK, ApiJson.snapshotPage(path, all.subList(from, to),
                    whole ? -1 : all.size(), to < all.size() ? to : -1));
        });
    }

    /** The integer query parameter {@code name}, {@code fallback} if absent, -1 if not a number within bounds. */
    private static int intParameter(final HttpServerExchange exchange, final String name, final int fallback,
                                    final int min, final int max) {
        final Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        try {
            final int value = Integer.parseInt(values.getFirst());
            return value < min || value > max ? -1 : value;
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    /**
     * {@code GET /api/v1/gateways}: the state of every gateway the caller may see (its tenant's; every one for a
     * global admin), sorted by tenant and client id.
     */
    static HttpHandler gateways(final FleetState fleet) {
        return get(exchange -> JsonResponse.send(exchange, StatusCodes.OK,
                ApiJson.gateways(fleet.statuses(GatewayFeed.visibleTo(HttpAccess.scope(exchange))))));
    }

    /** {@code GET /api/v1/me}: who the caller is and what they see. */
    static HttpHandler me() {
        return get(exchange -> {
            final Scope scope = HttpAccess.scope(exchange);
            JsonResponse.send(exchange, StatusCodes.OK, ApiJson.caller(scope));
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
        if (JsonResponse.refusedUnlessGet(exchange)) {
            return;
        }
        try {
            query.answer(exchange);
        } catch (final Rejection bad) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error("bad path: " + bad.getMessage()));
        }
    }

    /** The checked {@code path} parameter (default {@code ""}); {@code null} after answering 400 for a bad one. */
    static String checkedPath(final HttpServerExchange exchange) {
        try {
            return pathParameter(exchange);
        } catch (final Rejection bad) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error("bad path: " + bad.getMessage()));
            return null;
        }
    }

    private static String pathParameter(final HttpServerExchange exchange) throws Rejection {
        final Deque<String> values = exchange.getQueryParameters().get("path");
        final String path = values == null || values.isEmpty() ? "" : values.getFirst();
        TopicResolver.parseSubtree(path);
        return path;
    }
}
