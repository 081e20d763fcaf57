package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import io.cellwatch.extension.security.ProbeLogin;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.util.Deque;

/**
 * {@code POST /api/v1/clients/disconnect?client=<id>}: the admin action that takes a client off the broker (without
 * its will), instead of a session takeover; {@code &session=end} also ends its stored session. Mounted for global
 * admins only. Answers {@code {"client":…,"disconnected":true|false}} once the broker has acted. The synthetic probe's
 * client ({@link ProbeLogin#CLIENT_ID}) is part of the server, not a device: refused with 403 (it reconnects at once
 * and {@code /readyz} depends on it); {@code probe.interval-seconds = 0} turns it off.
 */
final class ClientDisconnectHandler implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            JsonResponse.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, ApiJson.error("use POST"));
            return;
        }
        final Deque<String> client = exchange.getQueryParameters().get("client");
        if (client == null || client.isEmpty() || client.getFirst().isEmpty()) {
            JsonResponse.send(exchange, StatusCodes.BAD_REQUEST, ApiJson.error("'client' names the client id"));
            return;
        }
        final String clientId = client.getFirst();
        if (clientId.equals(ProbeLogin.CLIENT_ID)) {
            JsonResponse.send(exchange, StatusCodes.FORBIDDEN, ApiJson.error("'" + clientId + "' is the synthetic probe,"
                    + " part of the server: it cannot be disconnected; set probe.interval-seconds = 0 to turn it off"));
            return;
        }
        final Deque<String> session = exchange.getQueryParameters().get("session");
        final boolean endSession = session != null && "end".equals(session.peekFirst());
        exchange.dispatch(() -> (endSession
                ? Services.clientService().invalidateSession(clientId)
                : Services.clientService().disconnectClient(clientId, true,
                        DisconnectReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator"))
                .whenComplete((done, failure) -> exchange.getIoThread().execute(() -> {
                    if (failure != null) {
                        JsonResponse.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                                ApiJson.error("the broker could not act on '" + clientId + "': " + reason(failure)));
                    } else {
                        JsonResponse.send(exchange, StatusCodes.OK, JSON.createObjectNode().put("client", clientId)
                                .put("disconnected", done).toString());
                    }
                })));
    }

    /** What went wrong, never {@code null}: a failure without a message is named by its type. */
    private static String reason(final Throwable failure) {
        final Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
