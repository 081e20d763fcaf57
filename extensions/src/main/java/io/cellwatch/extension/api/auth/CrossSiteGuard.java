package io.cellwatch.extension.api.auth;

import io.cellwatch.extension.api.ApiJson;
import io.cellwatch.extension.api.JsonResponse;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses cross-site state-changing requests (CSRF): a browser that holds a session cookie or cached Basic
 * credentials sends them with any page's form post, but it also says where the request comes from. A POST, PUT,
 * DELETE or PATCH is refused {@code 403} if its {@code Sec-Fetch-Site} is anything but {@code same-origin} or
 * {@code none}, or if its {@code Origin} is not this server's own ({@code Host}, port included; the scheme is not
 * compared, so a TLS-terminating proxy that keeps {@code Host} works). Requests with neither header — curl, scripts,
 * Prometheus — pass: no browser leaves both out. Reads headers only; never blocks. Thread-safe.
 */
public final class CrossSiteGuard implements HttpHandler {

    private static final Set<HttpString> STATE_CHANGING = Set.of(Methods.POST, Methods.PUT, Methods.DELETE,
            Methods.PATCH);
    private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
    private static final Set<String> SAME_SITE_FETCHES = Set.of("same-origin", "none");

    private final HttpHandler next;

    public CrossSiteGuard(final HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        if (STATE_CHANGING.contains(exchange.getRequestMethod()) && crossSite(exchange)) {
            JsonResponse.send(exchange, StatusCodes.FORBIDDEN, ApiJson.error("cross-site request refused: "
                    + exchange.getRequestMethod() + " must come from this server's own pages (Origin or"
                    + " Sec-Fetch-Site), or from a client that sends neither"));
            return;
        }
        next.handleRequest(exchange);
    }

    private static boolean crossSite(final HttpServerExchange exchange) {
        final String fetchSite = exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE);
        if (fetchSite != null && !SAME_SITE_FETCHES.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
            return true;
        }
        final String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        return origin != null && !sameAuthority(origin, exchange.getRequestHeaders().getFirst(Headers.HOST));
    }

    /** True if {@code origin} names the host and port of {@code host}; {@code Origin: null} never does. */
    static boolean sameAuthority(final String origin, final String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        final URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (final IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        final int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        final String expected = uri.getHost().toLowerCase(Locale.ROOT);
        final String given = host.trim().toLowerCase(Locale.ROOT);
        final int colon = given.lastIndexOf(':');
        final boolean hasPort = colon > given.lastIndexOf(']');
        final String givenHost = hasPort ? given.substring(0, colon) : given;
        if (!givenHost.equals(expected)) {
            return false;
        }
        if (!hasPort) {
            return port == 80 || port == 443;
        }
        return given.substring(colon + 1).equals(Integer.toString(port));
    }
}
