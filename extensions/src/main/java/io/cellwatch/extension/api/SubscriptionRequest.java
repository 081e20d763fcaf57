package io.cellwatch.extension.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cellwatch.contract.Rejection;
import io.cellwatch.contract.TopicResolver;

import java.io.IOException;

/**
 * A live client's message, checked against the caller's {@link Scope}: either a subscription change on a path the
 * caller may see, or the error to answer. The fan-out registers {@link #watch}, which never reaches outside the scope.
 *
 * @param op        {@code subscribe}, {@code unsubscribe}, {@code gateways} (gateway states, no path), {@code alerts}
 *                  (alerts, no path) or
 *                  {@code error}
 * @param path      the path the client named (the snapshot's {@code path}); for an error, the message
 * @param watch     where the subscription is registered: {@code path} if the scope covers it, else the scope's root
 *                  (a tenant member asking for {@code ""} or {@code tenants} watches only {@code tenants/{tenant}})
 */
record SubscriptionRequest(String op, String path, String watch) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses and checks {@code text} for {@code scope}; never throws. */
    static SubscriptionRequest parse(final String text, final Scope scope) {
        try {
            final JsonNode message = MAPPER.readTree(text);
            final String op = message.path("op").asText("");
            final String path = message.path("path").asText("");
            if (op.equals("gateways") || op.equals("alerts")) {
                return new SubscriptionRequest(op, "", "");
            }
            if (!op.equals("subscribe") && !op.equals("unsubscribe")) {
                return error("unknown op '" + op + "'; use subscribe, unsubscribe, gateways or alerts");
            }
            TopicResolver.parseSubtree(path);
            if (scope.covers(path)) {
                return new SubscriptionRequest(op, path, path);
            }
            if (scope.leadsTo(path)) {
                return new SubscriptionRequest(op, path, scope.root());
            }
            // Same answer whether or not the path exists: nothing about other tenants leaks.
            return error("path '" + path + "' is outside what you may see");
        } catch (final IOException e) {
            return error("message is not JSON: " + e.getMessage());
        } catch (final Rejection e) {
            return error("bad path: " + e.getMessage());
        }
    }

    static SubscriptionRequest error(final String message) {
        return new SubscriptionRequest("error", message, "");
    }

    boolean isError() {
        return op.equals("error");
    }
}
