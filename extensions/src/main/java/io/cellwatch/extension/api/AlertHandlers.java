package io.cellwatch.extension.api;

import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.alerts.Acknowledgement;
import io.cellwatch.extension.alerts.Alert;
import io.cellwatch.extension.alerts.AlertService;
import io.cellwatch.extension.alerts.AlertState;
import io.cellwatch.extension.alerts.Severity;
import io.cellwatch.extension.alerts.WebhookStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The alert endpoints, scoped to the caller's tenant like every other: {@code GET /api/v1/alerts} (list and filter),
 * {@code POST /api/v1/alerts/acknowledge} (any dashboard user of the alert's tenant) and
 * {@code GET /api/v1/alerts/status} (rules and webhook delivery).
 */
final class AlertHandlers {

    private final AlertService alerts;

    AlertHandlers(final AlertService alerts) {
        this.alerts = alerts;
    }

    /**
     * {@code GET /api/v1/alerts[?state=raised|acknowledged|cleared|active][&severity=…][&node=path]}: the alerts the
     * caller may see, most recent change first; {@code node} keeps those whose subject lies in that subtree (403
     * outside the caller's scope, whether or not it exists).
     */
    HttpHandler list() {
        return dispatched(Methods.GET, exchange -> {
            final Scope scope = HttpAccess.scope(exchange);
            Predicate<Alert> filter = AlertFeed.visibleTo(scope);
            final String state = parameter(exchange, "state");
            if (state != null) {
                if (state.equals("active")) {
                    filter = filter.and(a -> a.state().active());
                } else {
                    final AlertState wanted = AlertState.ofWord(state);
                    if (wanted == null) {
                        bad(exchange, "state must be raised, acknowledged, cleared or active, not '" + state + "'");
                        return;
                    }
                    filter = filter.and(a -> a.state() == wanted);
                }
            }
            final String severity = parameter(exchange, "severity");
            if (severity != null) {
                final Severity wanted = Severity.ofWord(severity.toLowerCase(Locale.ROOT));
                if (wanted == null) {
                    bad(exchange, "severity must be critical, major, minor, warning or info, not '" + severity + "'");
                    return;
                }
                filter = filter.and(a -> a.severity() == wanted);
            }
            final String node = parameter(exchange, "node");
            if (node != null) {
                try {
                    TopicResolver.parseSubtree(node);
                } catch (final Rejection e) {
                    bad(exchange, "bad node: " + e.getMessage());
                    return;
                }
                if (scope.covers(node)) {
                    filter = filter.and(a -> a.isUnder(node));
                } else if (!scope.leadsTo(node)) {
                    JsonResponse.forbiddenPath(exchange, node);
                    return;
                }
            }
            JsonResponse.send(exchange, StatusCodes.OK,
                    ApiJson.alerts(alerts.alerts(filter).stream().map(Alert::message).toList()));
        });
    }

    /**
     * {@code POST /api/v1/alerts/acknowledge?id=…[&tenant=…]}: acknowledges a raised alert as the caller; the tenant
     * defaults to the caller's (a global admin names it). 200 with the alert, 404 unknown, 409 not raised (already
     * acknowledged or cleared), 403 for another tenant's.
     */
    HttpHandler acknowledge() {
        return dispatched(Methods.POST, exchange -> {
            final Scope scope = HttpAccess.scope(exchange);
            final String id = parameter(exchange, "id");
            String tenant = parameter(exchange, "tenant");
            if (tenant == null) {
                tenant = scope.tenant().orElse(null);
            }
            if (id == null || tenant == null) {
                bad(exchange, id == null ? "name the alert: ?id=…" : "name the alert's tenant: &tenant=…");
                return;
            }
            if (!scope.all() && !scope.tenant().map(tenant::equals).orElse(false)) {
                JsonResponse.send(exchange, StatusCodes.FORBIDDEN,
                        ApiJson.error("tenant '" + tenant + "' is outside what you may see"));
                return;
            }
            final Acknowledgement result;
            try {
                result = alerts.acknowledge(tenant, id, scope.user()).get(10, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                JsonResponse.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, ApiJson.error("interrupted"));
                return;
            } catch (final ExecutionException | TimeoutException e) {
                JsonResponse.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                        ApiJson.error("the alert engine did not answer: " + e));
                return;
            }
            switch (result.outcome()) {
                case ACKNOWLEDGED -> JsonResponse.send(exchange, StatusCodes.OK,
                        ApiJson.alertChange(result.alert().orElseThrow().message()));
                case UNKNOWN -> JsonResponse.send(exchange, StatusCodes.NOT_FOUND,
                        ApiJson.error("no alert '" + id + "' in tenant '" + tenant + "'"));
                case NOT_RAISED -> JsonResponse.send(exchange, StatusCodes.CONFLICT,
                        ApiJson.error("alert '" + id + "' is " + result.alert().orElseThrow().state().word()
                                + ", not raised"));
            }
        });
    }

    /**
     * {@code GET /api/v1/alerts/status}: per visible tenant its number of rules and its webhook's deliveries and
     * failures; for global admins also why the rules file's current content was rejected (file:line), if it was.
     */
    HttpHandler status() {
        return dispatched(Methods.GET, exchange -> {
            final Scope scope = HttpAccess.scope(exchange);
            final Map<String, Integer> counts = new TreeMap<>();
            final Map<String, WebhookStatus> webhooks = new TreeMap<>();
            if (scope.all()) {
                alerts.rules().tenants().forEach((tenant, block) -> counts.put(tenant, block.rules().size()));
            } else {
                scope.tenant().ifPresent(tenant -> counts.put(tenant, alerts.rules(tenant).size()));
            }
            counts.keySet().forEach(tenant -> alerts.webhook(tenant).ifPresent(w -> webhooks.put(tenant, w)));
            final String problem = scope.all() ? alerts.rulesProblem().map(Throwable::getMessage).orElse(null) : null;
            JsonResponse.send(exchange, StatusCodes.OK, ApiJson.alertStatus(counts, webhooks, problem));
        });
    }

    private interface Answer {
        void answer(HttpServerExchange exchange);
    }

    private static HttpHandler dispatched(final HttpString method, final Answer answer) {
        return exchange -> {
            if (exchange.isInIoThread()) {
                exchange.dispatch(() -> answer(exchange, method, answer));
                return;
            }
            answer(exchange, method, answer);
        };
    }

    private static void answer(final HttpServerExchange exchange, final HttpString method, final Answer answer) {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, method.toString());
            JsonResponse.send(exchange, StatusCodes.METHOD_NOT_ALLOWED,
                    ApiJson.error("only " + method + " is allowed"));
            return;
        }
        answer.answer(exchange);
    }

    private static String parameter(final HttpServerExchange exchange, final String name) {
        final Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty() ? null : values.getFirst();
    }

    private static void bad(final HttpServerExchange exchange, final String message) {
        JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error(message));
    }
}
