package io.cellwatch.extension.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.acl.policy.AccessPolicy;
import io.cellwatch.acl.policy.Principal;
import io.cellwatch.acl.policy.Role;
import io.cellwatch.extension.api.ApiJson;
import io.cellwatch.extension.api.JsonResponse;
import io.cellwatch.extension.security.AccessControl;
import io.cellwatch.extension.security.LoginThrottle;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who is calling the HTTP API, and what they may see. Every request but the login carries a session (the
 * {@code cellwatch_session} cookie a login sets, or the same token as {@code Authorization: Bearer}) or HTTP Basic
 * credentials (scripts, Prometheus); the caller's {@link Scope} is attached to the exchange for the handlers. Gateways
 * have no business on the dashboard and cannot log in. Password checks, Basic ones included, go through the
 * failed-login throttle shared with MQTT ({@link LoginThrottle}): an address with many failures waits. Thread-safe.
 */
public final class HttpAccess {

    /** Set once the failed-login throttle admitted this exchange's password check (it re-enters the guard). */
    private static final AttachmentKey<Boolean> ADMITTED = AttachmentKey.create(Boolean.class);

    /** The caller's scope, attached to every exchange that passed {@link #protect}. */
    public static final AttachmentKey<Scope> SCOPE = AttachmentKey.create(Scope.class);

    static final String COOKIE = "cellwatch_session";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_LOGIN_BYTES = 4096;

    private final AccessControl access;
    private final HttpSessions sessions;
    private final LoginThrottle throttle;

    private HttpAccess(final AccessControl access, final HttpSessions sessions, final LoginThrottle throttle) {
        this.access = access;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    /**
     * Access checked against {@code access}; sessions idle out after {@code sessionIdle}; failed logins count against
     * the same limits as MQTT's ({@link AccessControl#loginThrottle()}).
     */
    public static HttpAccess checking(final AccessControl access, final Duration sessionIdle) {
        final HttpAccess http = new HttpAccess(access, new HttpSessions(sessionIdle, Clock.systemUTC()),
                access.loginThrottle());
        access.onRevoked(http.sessions::revoke);
        return http;
    }

    /** No access control at all: every caller sees everything (access control switched off). */
    public static HttpAccess open() {
        return new HttpAccess(null, null, null);
    }

    /** Calls {@code listener} with the users whose rights a reload changed (never, when access control is off). */
    public void onRevoked(final Consumer<Set<String>> listener) {
        if (access != null) {
            access.onRevoked(listener);
        }
    }

    /** The scope attached to an exchange by {@link #protect}. */
    public static Scope scope(final HttpServerExchange exchange) {
        final Scope scope = exchange.getAttachment(SCOPE);
        if (scope == null) {
            throw new IllegalStateException("exchange did not pass HttpAccess.protect");
        }
        return scope;
    }

    /** Lets authenticated dashboard users through to {@code next}; answers 401 (or 429) otherwise. */
    public HttpHandler protect(final HttpHandler next) {
        return guard(next, false);
    }

    /** Lets only global admins through to {@code next} (e.g. {@code /metrics}, which spans every tenant). */
    public HttpHandler protectForAdmins(final HttpHandler next) {
        return guard(next, true);
    }

    private HttpHandler guard(final HttpHandler next, final boolean adminsOnly) {
        return new Guard(next, adminsOnly);
    }

    /** Resolves the caller, attaches its scope and passes on; answers 401, 403 or 429 itself. */
    private final class Guard implements HttpHandler {

        private final HttpHandler next;
        private final boolean adminsOnly;

        Guard(final HttpHandler next, final boolean adminsOnly) {
            this.next = next;
            this.adminsOnly = adminsOnly;
        }

        @Override
        public void handleRequest(final HttpServerExchange exchange) throws Exception {
            if (access == null) {
                exchange.putAttachment(SCOPE, Scope.everything());
                next.handleRequest(exchange);
                return;
            }
            if (exchange.getAttachment(ADMITTED) == null && isBasic(exchange)) {
                throttled(exchange, this);
                return;
            }
            if (exchange.isInIoThread()) {
                // Checking a Basic password is CPU work: off the I/O thread.
                exchange.dispatch(this);
                return;
            }
            final Optional<Principal> caller = caller(exchange);
            if (caller.isEmpty()) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE,
                        adminsOnly ? "Basic realm=\"cellwatch\"" : "Bearer realm=\"cellwatch\"");
                send(exchange, StatusCodes.UNAUTHORIZED, "log in first: POST /api/v1/login");
                return;
            }
            final Scope scope = Scope.of(caller.get());
            if (adminsOnly && !scope.all()) {
                send(exchange, StatusCodes.FORBIDDEN, "only admins may read this");
                return;
            }
            exchange.putAttachment(SCOPE, scope);
            next.handleRequest(exchange);
        }
    }

    /** The authenticated dashboard user, or empty. */
    private Optional<Principal> caller(final HttpServerExchange exchange) {
        final AccessPolicy policy = access.current();
        final String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        Optional<String> user = Optional.empty();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = sessions.user(authorization.substring(7).trim());
        } else if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(exchange, policy, authorization.substring(6).trim());
        } else {
            final Cookie cookie = exchange.getRequestCookie(COOKIE);
            if (cookie != null) {
                user = sessions.user(cookie.getValue());
            }
        }
        return user.flatMap(policy::principal).filter(HttpAccess::mayUseDashboard);
    }

    private Optional<Principal> basic(final HttpServerExchange exchange, final AccessPolicy policy,
                                      final String encoded) {
        final String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
        final int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return verify(exchange, policy, decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    /**
     * Runs {@code next} once the failed-login throttle lets this address try a password: now, or after its delay —
     * an I/O timer, so no thread waits — or never, answering 429 with {@code Retry-After}.
     */
    private void throttled(final HttpServerExchange exchange, final HttpHandler next) throws Exception {
        final LoginThrottle.Admission admission = throttle.admit(address(exchange));
        if (admission.refused()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(admission.retryAfterSeconds()));
            send(exchange, StatusCodes.TOO_MANY_REQUESTS, "too many failed logins from this address; try again in "
                    + admission.retryAfterSeconds() + " s");
            return;
        }
        exchange.putAttachment(ADMITTED, Boolean.TRUE);
        if (admission.immediate()) {
            next.handleRequest(exchange);
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(
                () -> exchange.dispatch(next), admission.delayMillis(), TimeUnit.MILLISECONDS));
    }

    private static boolean isBasic(final HttpServerExchange exchange) {
        final String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** Checks a password (the throttle admitted the attempt already); a failure counts against the address. */
    private Optional<Principal> verify(final HttpServerExchange exchange, final AccessPolicy policy,
                                       final String user, final char[] password) {
        try {
            final Optional<Principal> principal = policy.authenticate(user, password)
                    .filter(HttpAccess::mayUseDashboard);
            if (principal.isEmpty()) {
                throttle.failed(address(exchange));
            }
            return principal;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** {@code POST /api/v1/login} with {@code {"user":…,"password":…}}: sets the session cookie, returns the token. */
    public HttpHandler login() {
        return exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.POST)) {
                exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
                send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "log in with POST");
                return;
            }
            if (access == null) {
                send(exchange, StatusCodes.NOT_FOUND, "access control is off: no login needed");
                return;
            }
            throttled(exchange, admitted -> {
                admitted.setMaxEntitySize(MAX_LOGIN_BYTES);
                admitted.getRequestReceiver().receiveFullBytes(
                        (ex, body) -> ex.dispatch(() -> answerLogin(ex, body)),
                        (ex, e) -> send(ex, StatusCodes.BAD_REQUEST, "could not read the login: " + e.getMessage()));
            });
        };
    }

    private void answerLogin(final HttpServerExchange exchange, final byte[] body) {
        final String user;
        final char[] password;
        try {
            final JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.path("user").isTextual() || !json.path("password").isTextual()) {
                send(exchange, StatusCodes.BAD_REQUEST, "login body must be {\"user\":\"…\",\"password\":\"…\"}");
                return;
            }
            user = json.get("user").asText();
            password = json.get("password").asText().toCharArray();
        } catch (final IOException e) {
            send(exchange, StatusCodes.BAD_REQUEST, "login body is not JSON");
            return;
        }
        final Optional<Principal> principal = verify(exchange, access.current(), user, password);
        if (principal.isEmpty()) {
            send(exchange, StatusCodes.UNAUTHORIZED, "wrong user name or password");
            return;
        }
        sessions.expire();
        final String token = sessions.open(user);
        exchange.setResponseCookie(new CookieImpl(COOKIE, token).setPath("/").setHttpOnly(true)
                .setSameSiteMode("Strict").setSecure(exchange.getRequestScheme().equals("https")));
        JsonResponse.send(exchange, StatusCodes.OK, ApiJson.login(principal.get(), token));
    }

    /** {@code POST /api/v1/logout}: ends the caller's session. */
    public HttpHandler logout() {
        return exchange -> {
            if (sessions != null) {
                final String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
                if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    sessions.close(authorization.substring(7).trim());
                }
                final Cookie cookie = exchange.getRequestCookie(COOKIE);
                if (cookie != null) {
                    sessions.close(cookie.getValue());
                }
            }
            exchange.setResponseCookie(new CookieImpl(COOKIE, "").setPath("/").setMaxAge(0));
            exchange.setStatusCode(StatusCodes.NO_CONTENT);
            exchange.endExchange();
        };
    }

    private static boolean mayUseDashboard(final Principal principal) {
        return principal.role() == Role.OPERATOR || principal.role() == Role.TENANT_ADMIN
                || principal.role() == Role.ADMIN;
    }

    private static String address(final HttpServerExchange exchange) {
        final InetSocketAddress peer = exchange.getSourceAddress();
        return peer == null || peer.getAddress() == null ? "unknown" : peer.getAddress().getHostAddress();
    }

    private static void send(final HttpServerExchange exchange, final int status, final String message) {
        JsonResponse.send(exchange, status, ApiJson.error(message));
    }
}
