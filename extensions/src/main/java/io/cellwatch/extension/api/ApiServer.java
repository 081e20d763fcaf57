package io.cellwatch.extension.api;

import io.cellwatch.extension.analytics.AnalyticsEngine;
import io.cellwatch.extension.alerts.AlertService;
import io.cellwatch.extension.config.ExtensionSettings;
import io.cellwatch.extension.display.DisplayWatcher;
import io.cellwatch.extension.fleet.FleetState;
import io.cellwatch.extension.history.AlertHistory;
import io.cellwatch.extension.history.AnalyticsHistory;
import io.cellwatch.extension.history.HistoryDatabase;
import io.cellwatch.extension.history.HistoryExport;
import io.cellwatch.extension.history.HistoryQuery;
import io.cellwatch.extension.live.LiveFanout;
import io.cellwatch.extension.series.Series;
import io.cellwatch.extension.series.SeriesCatalog;
import io.cellwatch.extension.tls.ServerKeystore;
import io.cellwatch.extension.health.Readiness;
import io.cellwatch.extension.metrics.Metrics;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketMessages;
import org.xnio.IoUtils;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of cellwatch on Undertow: REST under {@code /api/v1}, the live WebSocket at {@code /api/v1/live}
 * and Prometheus text at {@code /metrics} (global admins only), plain and, with a keystore, over TLS; the dashboard's
 * static files at {@code /} ({@link DashboardAssets}). Every endpoint but
 * the login needs a logged-in caller and answers within the caller's scope. The broker itself is never exposed over
 * HTTP. Start and close are idempotent.
 */
public final class ApiServer implements AutoCloseable {

    /** How long a client closed as too slow has to read what is queued, close frame included, before it is cut. */
    private static final long ABORT_GRACE_MILLIS = 5_000;

    private final ExtensionSettings settings;
    private final SeriesCatalog catalog;
    private final LiveFanout fanout;
    private final HistoryDatabase history;
    private final HttpAccess access;
    private final FleetState fleet;
    private final GatewayFeed gatewayFeed;
    private final AlertService alerts;
    private final AlertFeed alertFeed;
    private final DisplayWatcher display;
    private final Set<LiveSession> liveSessions = ConcurrentHashMap.newKeySet();
    private final IoThreadOutbox outbox = new IoThreadOutbox();
    private final Metrics metrics;
    private final Readiness readiness;
    private final TimedRoutes timing;
    private final io.prometheus.metrics.core.metrics.Histogram historyQueries;
    private final io.prometheus.metrics.core.metrics.Counter bodiesTooLarge;
    private final io.prometheus.metrics.core.metrics.Counter exportsRefused;
    private final AnalyticsEngine analytics;
    private Undertow undertow;

    public ApiServer(final ExtensionSettings settings, final SeriesCatalog catalog, final LiveFanout fanout,
                     final Metrics metrics, final HistoryDatabase history, final HttpAccess access,
                     final FleetState fleet, final Readiness readiness, final AlertService alerts,
                     final AnalyticsEngine analytics, final DisplayWatcher display) {
        this.settings = settings;
        this.analytics = analytics;
        this.display = display;
        this.alerts = alerts;
        this.alertFeed = new AlertFeed(alerts);
        this.fleet = fleet;
        this.gatewayFeed = new GatewayFeed(fleet);
        this.access = access;
        access.onRevoked(users -> liveSessions.stream().filter(s -> users.contains(s.user()))
                .forEach(LiveSession::revoke));
        this.history = history;
        this.catalog = catalog;
        this.fanout = fanout;
        this.metrics = metrics;
        this.readiness = readiness;
        this.timing = new TimedRoutes(metrics);
        this.historyQueries = metrics.seconds("cellwatch_history_query_seconds",
                "History queries: the DuckDB read and downsampling of one /api/v1/history call");
        this.bodiesTooLarge = metrics.counter("cellwatch_http_bodies_too_large_total",
                "HTTP requests answered 413: a declared body over http.max-body-bytes");
        this.exportsRefused = metrics.counter("cellwatch_http_exports_refused_total",
                "Exports refused: reason rows (over http.max-export-rows, 422) or busy (too many at once, 429)",
                "reason");
        metrics.gauge("cellwatch_live_sessions", "Open live WebSocket sessions", () -> liveSessions.size());
    }

    /** Binds the HTTP port; fails if it is taken. */
    public synchronized void start() {
        if (undertow != null) {
            return;
        }
        final QueryHandlers queries = new QueryHandlers(catalog, settings.http().maxSnapshotSeries());
        final PathHandler routes = Handlers.path(timing.timed("static", DashboardAssets.orNotFound(notFound())));
        route(routes, "/api/v1/login", access.login());
        route(routes, "/api/v1/logout", access.logout());
        route(routes, "/api/v1/me", access.protect(QueryHandlers.me()));
        route(routes, "/api/v1/tree", access.protect(queries.tree()));
        route(routes, "/api/v1/snapshot", access.protect(queries.snapshot()));
        route(routes, "/api/v1/plants", access.protect(new PlantMetaHandler(catalog, PlantMetaHandler::retained)));
        route(routes, "/api/v1/metrics/meta", access.protect(new DisplayHandler(display)));
        route(routes, "/api/v1/gateways", access.protect(QueryHandlers.gateways(fleet)));
        route(routes, "/api/v1/alerts", access.protect(new AlertHandlers(alerts).list()));
        route(routes, "/api/v1/alerts/acknowledge", access.protect(new AlertHandlers(alerts).acknowledge()));
        route(routes, "/api/v1/alerts/status", access.protect(new AlertHandlers(alerts).status()));
        route(routes, "/api/v1/alerts/history",
                access.protect(new AlertHistoryHandler(new AlertHistory(history), Clock.systemUTC())));
        route(routes, "/api/v1/analytics", access.protect(new AnalyticsHandlers(analytics, PlantMetaHandler::retained).pack()));
        route(routes, "/api/v1/analytics/weakest", access.protect(new AnalyticsHandlers(analytics, PlantMetaHandler::retained).weakest()));
        route(routes, "/api/v1/analytics/history", access.protect(new AnalyticsHistoryHandler(
                new AnalyticsHistory(history), new RatedCapacity(PlantMetaHandler::retained), Clock.systemUTC())));
        route(routes, "/api/v1/history", access.protect(new HistoryHandler(new HistoryQuery(history), key -> {
            final Series series = catalog.series(key);
            return series == null ? null : series.id();
        }, historyQueries::observe)));
        route(routes, "/api/v1/export", access.protect(new ExportHandler(new HistoryExport(history),
                settings.http().maxExportRows(), Clock.systemUTC(), exportsRefused)));
        route(routes, "/api/v1/live", access.protect(Handlers.websocket(this::onLiveConnect)));
        route(routes, "/api/v1/clients/disconnect", access.protectForAdmins(new ClientDisconnectHandler()));
        route(routes, "/metrics", access.protectForAdmins(metrics()));
        // No login: load balancers and systemd poll these; they say nothing about tenants.
        route(routes, "/healthz", HealthHandlers.live());
        route(routes, "/readyz", HealthHandlers.ready(readiness));
        final Undertow.Builder builder = Undertow.builder()
                .addHttpListener(settings.httpPort(), settings.httpHost());
        if (settings.tls().enabled()) {
            builder.addHttpsListener(settings.tls().httpsPort(), settings.httpHost(),
                    ServerKeystore.sslContext(settings.tls()));
        }
        final Undertow server = builder
                .setIoThreads(2)
                .setWorkerThreads(4)
                // A history call may name every series of a plant section.
                .setServerOption(UndertowOptions.MAX_PARAMETERS, HistoryHandler.MAX_QUERY_PARAMETERS)
                // Chunked bodies have no length to check up front: reading past this fails and ends the connection.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) settings.http().maxBodyBytes())
                .setHandler(new CrossSiteGuard(new BodyLimit(routes, settings.http().maxBodyBytes(), bodiesTooLarge)))
                .build();
        server.start();
        undertow = server;
    }

    /** The HTTP port actually bound (differs from the setting when that is 0). */
    public synchronized int port() {
        return boundPort("http");
    }

    /** The HTTPS port actually bound; only when TLS is configured. */
    public synchronized int httpsPort() {
        return boundPort("https");
    }

    private int boundPort(final String protocol) {
        if (undertow == null) {
            throw new IllegalStateException("API server is not started");
        }
        return undertow.getListenerInfo().stream()
                .filter(listener -> listener.getProtcol().equals(protocol))
                .map(listener -> ((InetSocketAddress) listener.getAddress()).getPort())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + protocol + " listener"));
    }

    private void onLiveConnect(final io.undertow.websockets.spi.WebSocketHttpExchange exchange,
                               final WebSocketChannel channel) {
        final LiveSession session = new LiveSession(channel, catalog, exchange.getAttachment(HttpAccess.SCOPE), fanout,
                gatewayFeed, alertFeed, Math.max(ABORT_GRACE_MILLIS, settings.live().slowClientMillis()), outbox,
                settings.live(), System::nanoTime);
        final long maxMessage = settings.live().maxMessageBytes();
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(final WebSocketChannel ch, final BufferedTextMessage message) {
                session.onMessage(message.getData());
            }

            // Undertow buffers a whole message before the callback: past these it sends close 1009 and stops.
            @Override
            protected long getMaxTextBufferSize() {
                return maxMessage;
            }

            @Override
            protected long getMaxBinaryBufferSize() {
                return maxMessage;
            }

            @Override
            protected void onError(final WebSocketChannel ch, final Throwable error) {
                if (ch.isCloseFrameSent() && WebSocketMessages.MESSAGES.messageToBig(maxMessage)
                        .equals(error.getMessage())) {
                    // Let the 1009 close frame reach the client before the connection is cut.
                    fanout.metrics().messageTooBig();
                    ch.suspendReceives();
                    ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), ABORT_GRACE_MILLIS,
                            TimeUnit.MILLISECONDS);
                    return;
                }
                super.onError(ch, error);
            }
        });
        channel.addCloseTask(ch -> {
            session.closed();
            liveSessions.remove(session);
        });
        liveSessions.add(session);
        channel.resumeReceives();
    }

    private void route(final PathHandler routes, final String path, final HttpHandler handler) {
        routes.addExactPath(path, timing.timed(path, handler));
    }

    private HttpHandler metrics() {
        return new HttpHandler() {
            @Override
            public void handleRequest(final io.undertow.server.HttpServerExchange exchange) {
                if (exchange.isInIoThread()) {
                    // A scrape reads every gauge (file sizes among them): not I/O-thread work.
                    exchange.dispatch(this);
                    return;
                }
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Metrics.contentType());
                exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(metrics.scrape()));
            }
        };
    }

    private static HttpHandler notFound() {
        return exchange -> JsonResponse.send(exchange, StatusCodes.NOT_FOUND,
                ApiJson.error("no such endpoint: " + exchange.getRequestPath()));
    }

    @Override
    public synchronized void close() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
    }
}
