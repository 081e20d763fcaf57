package io.cellwatch.extension.api;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.HttpString;

/**
 * Serves the operator dashboard's static files at {@code /} from the classpath: the {@code cellwatch-dashboard} jar
 * ({@code cellwatch/dashboard/…}) and the uPlot WebJar it depends on (at {@code /vendor/uplot/}). Without the
 * dashboard jar on the classpath (a bare extension) every path outside the API answers {@code notFound}. Nothing is
 * fetched from anywhere at run time. Stateless and thread-safe.
 */
final class DashboardAssets {

    /** Where the dashboard jar keeps its files. */
    static final String ROOT = "cellwatch/dashboard";
    /** Where the uPlot WebJar keeps its built files. */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

    // Everything the page loads is its own: no CDN, no inline script, no framing by other sites.
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private DashboardAssets() {
    }

    /**
     * The handler for everything outside the exact API routes: the dashboard's files, and {@code notFound} for
     * unknown paths under {@code /api} or any path when the dashboard is not on the classpath.
     */
    static HttpHandler orNotFound(final HttpHandler notFound) {
        final ClassLoader loader = DashboardAssets.class.getClassLoader();
        if (loader.getResource(ROOT + "/index.html") == null) {
            return notFound;
        }
        final PathHandler paths = Handlers.path(files(loader, ROOT, notFound))
                .addPrefixPath("/vendor/uplot", files(loader, UPLOT, notFound))
                .addPrefixPath("/api", notFound);
        return exchange -> {
            exchange.getResponseHeaders().put(HttpString.tryFromString("Content-Security-Policy"),
                    CONTENT_SECURITY_POLICY);
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Content-Type-Options"), "nosniff");
            paths.handleRequest(exchange);
        };
    }

    private static HttpHandler files(final ClassLoader loader, final String prefix, final HttpHandler notFound) {
        return new ResourceHandler(new ClassPathResourceManager(loader, prefix), notFound)
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false)
                // Revalidated on every load (ETag / Last-Modified), so an upgraded server never serves stale code.
                .setCacheTime(0);
    }
}
